"""Extractors: one per form, each turning a parsed document into labeling-job requests (see `extract`)."""
