"""Messages to customers: rendered from templates (zh-CN, en) and kept as sent."""
