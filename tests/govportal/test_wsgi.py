"""A worker process started from govportal.wsgi has its views loaded and what start-up loaded
frozen out of the garbage collector's full collections."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import govportal.wsgi
print(json.dumps({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
                  "views": "govportal.api.views" in sys.modules and "moderation.views" in sys.modules}))
"""


def test_worker_start_loads_the_views_and_freezes_them():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govportal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["views"]
    # Nearly everything alive after start-up is frozen: a full collection walks only the rest.
    assert probe["frozen"] > 50_000 and probe["tracked"] < probe["frozen"] / 5
