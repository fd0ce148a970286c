"""The mentor pool: each mentor's file, vetting, the pipeline, supervision and import."""
