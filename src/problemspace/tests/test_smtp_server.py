from django.core.mail import EmailMessage

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
