"""The outbound guard at connect time: every outgoing HTTP session resolves and connects through it."""
