"""`{{ chart|with_csp_nonce:request }}`: let a server-drawn chart's own <style> through the CSP."""

from __future__ import annotations

import re

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_STYLE_TAG = re.compile(r"<style\b")


@register.filter
def with_csp_nonce(markup: SafeString, request: HttpRequest) -> SafeString:
    """The markup with the response's CSP nonce on each <style> element it contains.

    Only for markup the server built itself (lib.charts): anything typed by a person must
    never pass through here, as it would be allowed to style the page.
    """
    nonce = getattr(request, "csp_nonce", None)
    if nonce is None:
        return markup
    return mark_safe(_STYLE_TAG.sub(f'<style nonce="{nonce}"', str(markup)))  # noqa: S308
