"""The domain core: models, database lifecycle and the rules. Never imports Qt."""
