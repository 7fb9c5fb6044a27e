"""Collection contact (催收): every contact checked against the conduct rules before it is made,
and the contact log."""
