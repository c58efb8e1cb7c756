"""System checks for Ask: the trained models are the ones the scorers were fitted with."""

from django.core import checks

from . import nlp


@checks.register(checks.Tags.compatibility)
def check_model_weights(app_configs, **kwargs):
    return [
        checks.Error(
            f"Ask's model file {name} is missing or is not the one Gaceta was trained with.",
            hint="Install the versions requirements.lock pins (make install).",
            id="answers.E001",
        )
        for name in nlp.changed_weights()
    ]
