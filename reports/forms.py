from django import forms

from .models import AssessmentWeights


class WeightsForm(forms.ModelForm):
    """年底总评权重, with Chinese messages for anything that is not a usable number."""

    class Meta:
        model = AssessmentWeights
        fields = ["per_publication", "on_time_rate", "per_return", "per_late", "per_withdrawal"]
        error_messages = {
            name: {
                "invalid": "请输入数字，如 1 或 0.5。",
                "required": "请填写此项。",
                "max_digits": "数字过大，最多 4 位整数。",
                "max_decimal_places": "最多保留两位小数。",
                "max_whole_digits": "数字过大，最多 4 位整数。",
                "min_value": "不能为负数。",
                "max_value": "不能大于 1000。",
            }
            for name in fields
        }
