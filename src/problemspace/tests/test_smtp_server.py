import unittest

from django.conf import settings
from django.core.mail import EmailMessage
from django.test import TestCase, override_settings

from problemspace.testing import SmtpTestCase


class SmtpServerTests(SmtpTestCase):
    def test_a_message_with_an_attachment_arrives_as_sent(self):
        message = EmailMessage("Your interview", "See you on Tuesday.", to=["dana@example.org"])
        message.attach("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
        message.send()

        self.assertEqual(len(self.smtp.messages), 1)
        received = self.smtp.messages[0]
        self.assertEqual(received["To"], "dana@example.org")
        self.assertEqual(received["Subject"], "Your interview")
        attachments = list(received.iter_attachments())
        self.assertEqual([a.get_filename() for a in attachments], ["invite.ics"])
        self.assertIn("BEGIN:VCALENDAR", attachments[0].get_content())

    def test_each_test_starts_with_no_messages(self):
        self.assertEqual(self.smtp.messages, [])


@override_settings(DEFAULT_FROM_EMAIL="team@example.org")
class DecoratedSmtpTestCase(SmtpTestCase):
    """A subclass with its own settings: run by the test below, not collected alone."""

    __test__ = False

    def test_it_sends_here(self):
        EmailMessage("Hi", "Hello.", to=["dana@example.org"]).send()
        self.assertEqual(len(self.smtp.messages), 1)


class SettingsAfterwardsTests(TestCase):
    def test_the_email_settings_are_back_after_a_decorated_class(self):
        before = settings.EMAIL_BACKEND
        result = unittest.TestResult()
        unittest.defaultTestLoader.loadTestsFromTestCase(DecoratedSmtpTestCase).run(result)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        self.assertEqual(settings.EMAIL_BACKEND, before)
