"""Stand-in servers that users and tests run; they implement no port and import no layer."""
