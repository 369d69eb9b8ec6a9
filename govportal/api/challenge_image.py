"""The picture of a question-intake challenge: digits drawn rotated, shifted and over noise, so
a script has to read an image (no third-party service, nothing loaded from outside)."""

import base64
import io
import secrets

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 170, 60
_random = secrets.SystemRandom()


def _colour(low, high):
    return tuple(_random.randint(low, high) for _ in range(3))


def _glyph(char, font):
    glyph = Image.new("RGBA", (44, 54), (0, 0, 0, 0))
    ImageDraw.Draw(glyph).text((8, 4), char, font=font, fill=_colour(10, 110))
    return glyph.rotate(_random.uniform(-28, 28), resample=Image.Resampling.BICUBIC)


def challenge_image(code):
    """A PNG data URI showing `code`."""
    image = Image.new("RGB", (WIDTH, HEIGHT), _colour(225, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        points = [(_random.randint(0, WIDTH), _random.randint(0, HEIGHT)) for _ in range(2)]
        draw.line(points, fill=_colour(120, 200), width=2)
    x = 8
    for char in code:
        font = ImageFont.load_default(size=_random.randint(30, 38))
        glyph = _glyph(char, font)
        image.paste(glyph, (x, _random.randint(-2, 8)), glyph)
        x += _random.randint(26, 33)
    for _ in range(350):
        draw.point((_random.randrange(WIDTH), _random.randrange(HEIGHT)), fill=_colour(60, 200))
    draw.arc(
        (_random.randint(-20, 40), 5, _random.randint(120, 190), 55), 0, 180, fill=_colour(40, 120), width=2
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
