"""The database token bucket, and sign-in limited by it."""

from __future__ import annotations

from django.test import TestCase, override_settings

from problemspace.testing import PASSWORD, BaseTestCase
from problemspace.web import ratelimit
from problemspace.web.auth import SIGN_IN_PER_ADDRESS, SIGN_IN_PER_USERNAME
from problemspace.web.models import TokenBucket
from problemspace.workspaces.tests.clock import frozen_clock


class TokenBucketTestCase(TestCase):
    def test_it_allows_capacity_then_refuses(self) -> None:
        with frozen_clock():
            results = [ratelimit.allow("test", "k", 3, 60) for _ in range(5)]
        self.assertEqual(results, [True, True, True, False, False])

    def test_tokens_flow_back_over_time(self) -> None:
        with frozen_clock() as clock:
            for _ in range(3):
                ratelimit.allow("test", "k", 3, 60)
            refused = ratelimit.take("test", "k", 3, 60)
            self.assertFalse(refused.allowed)
            # One token comes back every 20 seconds.
            self.assertAlmostEqual(refused.retry_after, 20)
            clock.advance(seconds=19)
            self.assertFalse(ratelimit.allow("test", "k", 3, 60))
            clock.advance(seconds=1.5)
            self.assertTrue(ratelimit.allow("test", "k", 3, 60))
            self.assertFalse(ratelimit.allow("test", "k", 3, 60))
            # A long wait refills the bucket to its capacity, never beyond.
            clock.advance(hours=5)
            results = [ratelimit.allow("test", "k", 3, 60) for _ in range(4)]
            self.assertEqual(results, [True, True, True, False])

    def test_refused_attempts_do_not_push_the_wait_back(self) -> None:
        with frozen_clock() as clock:
            for _ in range(3):
                ratelimit.allow("test", "k", 3, 60)
            for _ in range(50):
                clock.advance(seconds=0.3)
                self.assertFalse(ratelimit.allow("test", "k", 3, 60))
            clock.advance(seconds=6)
            self.assertTrue(ratelimit.allow("test", "k", 3, 60))

    def test_keys_and_scopes_are_counted_apart(self) -> None:
        with frozen_clock():
            self.assertTrue(ratelimit.allow("a", "k", 1, 60))
            self.assertFalse(ratelimit.allow("a", "k", 1, 60))
            self.assertTrue(ratelimit.allow("a", "other key", 1, 60))
            self.assertTrue(ratelimit.allow("b", "k", 1, 60))

    def test_peek_spends_nothing(self) -> None:
        with frozen_clock():
            self.assertTrue(ratelimit.peek("test", "k", 1, 60).allowed)
            self.assertTrue(ratelimit.peek("test", "k", 1, 60).allowed)
            self.assertTrue(ratelimit.allow("test", "k", 1, 60))
            decision = ratelimit.peek("test", "k", 1, 60)
            self.assertFalse(decision.allowed)
            self.assertEqual(decision.retry_minutes, 1)

    def test_keys_are_stored_hashed(self) -> None:
        ratelimit.allow("sign-in:username", "alice@example.org", 5, 60)
        bucket = TokenBucket.objects.get()
        self.assertNotIn("alice", bucket.key_hash)
        self.assertEqual(len(bucket.key_hash), 64)

    def test_full_buckets_are_dropped(self) -> None:
        with frozen_clock() as clock:
            ratelimit.allow("test", "old", 3, 60)
            clock.advance(seconds=61)
            ratelimit.allow("test", "new", 3, 60)
            ratelimit.allow("elsewhere", "x", 3, 3600)
        self.assertEqual(
            sorted(TokenBucket.objects.values_list("scope", flat=True)), ["elsewhere", "test"]
        )

    def test_it_refuses_a_meaningless_limit(self) -> None:
        with self.assertRaises(ValueError):
            ratelimit.allow("test", "k", 0, 60)
        with self.assertRaises(ValueError):
            ratelimit.allow("test", "k", 1, 0)


# Every attempt hashes a password, even for unknown usernames; a fast hasher keeps these
# tests of dozens of attempts quick.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SignInLimitTestCase(BaseTestCase):
    def setUp(self) -> None:
        for user in (self.alice, self.bob):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])

    def sign_in(self, password: str, username: str = "alice@example.org", **extra):
        return self.client.post("/login/", {"username": username, "password": password}, **extra)

    def test_too_many_wrong_passwords_stop_sign_in_for_a_while(self) -> None:
        with frozen_clock() as clock:
            for _ in range(SIGN_IN_PER_USERNAME.capacity):
                self.assertEqual(self.sign_in("wrong guess").status_code, 200)
            # Now even the right password is not tried.
            response = self.sign_in(PASSWORD)
            self.assertEqual(response.status_code, 429)
            self.assertContains(
                response, "Too many sign-in attempts. Try again in 2 minutes", status_code=429
            )
            self.assertContains(response, 'value="alice@example.org"', status_code=429)
            self.assertEqual(response["Retry-After"], "90")
            self.assertNotIn("_auth_user_id", self.client.session)
            clock.advance(seconds=91)
            response = self.sign_in(PASSWORD)
            self.assertEqual(response.status_code, 302)
            self.assertIn("_auth_user_id", self.client.session)

    def test_the_limit_counts_usernames_in_any_case(self) -> None:
        with frozen_clock():
            for _ in range(SIGN_IN_PER_USERNAME.capacity):
                self.sign_in("wrong", username="Alice@Example.org")
            self.assertEqual(self.sign_in(PASSWORD).status_code, 429)

    def test_other_people_can_still_sign_in(self) -> None:
        with frozen_clock():
            for _ in range(SIGN_IN_PER_USERNAME.capacity):
                self.sign_in("wrong")
            self.assertEqual(self.sign_in(PASSWORD, username="bob@example.org").status_code, 302)

    def test_right_passwords_spend_nothing(self) -> None:
        with frozen_clock():
            for _ in range(SIGN_IN_PER_USERNAME.capacity + 5):
                self.assertEqual(self.sign_in(PASSWORD).status_code, 302)
                self.client.logout()

    def test_one_address_trying_many_usernames_is_stopped(self) -> None:
        with frozen_clock():
            for n in range(SIGN_IN_PER_ADDRESS.capacity):
                self.sign_in("wrong", username=f"user{n}@example.org")
            self.assertEqual(self.sign_in(PASSWORD).status_code, 429)
            other_address = self.sign_in(PASSWORD, REMOTE_ADDR="192.0.2.7")
            self.assertEqual(other_address.status_code, 302)

    @override_settings(BEHIND_PROXY=True)
    def test_behind_a_proxy_the_forwarded_address_counts(self) -> None:
        with frozen_clock():
            for n in range(SIGN_IN_PER_ADDRESS.capacity):
                self.sign_in(
                    "wrong",
                    username=f"user{n}@example.org",
                    HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
                )
            blocked = self.sign_in(PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
            self.assertEqual(blocked.status_code, 429)
            # What a client puts first in the header is not trusted: only the proxy's entry.
            allowed = self.sign_in(PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9, 203.0.113.10")
            self.assertEqual(allowed.status_code, 302)
