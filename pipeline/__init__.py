"""kg2img pipeline: configs, training, evaluation, reports and the ``kg2img`` CLI."""
