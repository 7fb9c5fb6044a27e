"""Policy documents: versioned, effective-dated YAML, validated into the engine's ``Policy``."""
