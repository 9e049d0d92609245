"""The /v1/videos client's pure parts: Retry-After in both its forms, the backoff's bounds, the key scrubbed."""

import email.utils

from adapters.openai_video.client import RetryPolicy, retry_after_seconds, scrubbed


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    assert retry_after_seconds("3") == 3.0 and retry_after_seconds("0.5") == 0.5
    later = email.utils.formatdate(1_000_010, usegmt=True)
    assert retry_after_seconds(later, now=1_000_000) == 10.0
    assert retry_after_seconds(email.utils.formatdate(999_000, usegmt=True), now=1_000_000) == 0.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None


def test_the_wait_honours_retry_after_up_to_a_cap_and_backs_off_without_it():
    policy = RetryPolicy(first_wait_s=0.5, max_wait_s=30)
    assert policy.wait(0, 2.0) == 2.0 and policy.wait(3, 120.0) == 30 and policy.wait(0, -1) == 0.0
    assert 0.375 <= policy.wait(0, None) <= 0.625 and 3.0 <= policy.wait(3, None) <= 5.0
    assert policy.wait(20, None) == 30


def test_the_key_is_scrubbed_from_what_the_provider_says():
    assert scrubbed("bad key sk-123 given", "sk-123") == "bad key [key] given"
    assert scrubbed("nothing", None) == "nothing"
