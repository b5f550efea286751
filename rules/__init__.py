"""gtlint: static checks for Amazon SageMaker Ground Truth labeling-job requests."""

__version__ = "0.1.0"
