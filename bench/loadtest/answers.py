"""What an answer to a load-test POST means for the participant (shared by locust and phase.py)."""

CSRF_SECRET = "loadtestcsrfsecret0123456789abcd"  # noqa: S105 (32 characters, a test token)
assert len(CSRF_SECRET) == 32


def classify(job, response):
    """(outcome, detail) of one answer: ``stored`` is what a participant calls success."""
    status = response.status_code
    if status == 0:  # locust's answer when the connection failed
        return "no_answer", f"{type(response.error).__name__}: {response.error}"
    location = response.headers.get("Location", "")
    if status == 302 and job["kind"] == "survey" and "thanks=1" in location:
        return "stored", ""
    if status == 302 and job["kind"] == "comment" and "#c-" in location:
        return "stored", ""
    if status == 503:
        clear = "Retry-After" in response.headers and "error__code" in response.text
        return "unavailable", "" if clear else "503 without the page or Retry-After"
    if status >= 500:
        return "server_error", response.text[:300]
    return "refused", f"{status} {location or response.text[:300]}"
