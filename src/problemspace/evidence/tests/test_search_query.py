"""Reading what people type into a search, and the helpers that need no database."""

from __future__ import annotations

from django.test import SimpleTestCase

from problemspace.evidence.search import (
    SearchError,
    SearchQuery,
    Term,
    fuse,
    highlight_pattern,
    parse_query,
    snippet,
)


class ParseQueryTestCase(SimpleTestCase):
    def test_words_are_all_required(self) -> None:
        self.assertEqual(
            parse_query("slow  export"), SearchQuery(((Term("slow"),), (Term("export"),)))
        )

    def test_quotes_make_a_phrase(self) -> None:
        self.assertEqual(
            parse_query('"month end" close'),
            SearchQuery(((Term("month end"),), (Term("close"),))),
        )

    def test_an_unclosed_quote_runs_to_the_end(self) -> None:
        self.assertEqual(parse_query('sso "okta sync'), parse_query('sso "okta sync"'))

    def test_or_joins_its_neighbours(self) -> None:
        self.assertEqual(
            parse_query("invoice sso OR saml or okta"),
            SearchQuery(((Term("invoice"),), (Term("sso"), Term("saml"), Term("okta")))),
        )

    def test_a_dangling_or_is_ignored(self) -> None:
        self.assertEqual(parse_query("OR sso OR"), SearchQuery(((Term("sso"),),)))

    def test_minus_excludes(self) -> None:
        self.assertEqual(
            parse_query('export -netsuite -"bank details"'),
            SearchQuery(((Term("export"),),), (Term("netsuite"), Term("bank details"))),
        )

    def test_a_star_after_a_word_is_a_prefix(self) -> None:
        self.assertEqual(parse_query("integr*"), SearchQuery(((Term("integr", prefix=True),),)))

    def test_a_star_anywhere_else_is_plain_text(self) -> None:
        self.assertEqual(parse_query("w-9*"), SearchQuery(((Term("w-9*"),),)))
        self.assertEqual(parse_query("* sso"), SearchQuery(((Term("sso"),),)))

    def test_units_without_letters_or_digits_are_dropped(self) -> None:
        self.assertEqual(parse_query('sso " - * ( ) 🙂 "" --'), SearchQuery(((Term("sso"),),)))

    def test_control_characters_are_spaces(self) -> None:
        self.assertEqual(parse_query("sso\x00okta\n"), parse_query("sso okta"))

    def test_nothing_to_find_is_an_error(self) -> None:
        for text in ["", "   ", '"', "*", "-", "🙂", '""', "( ) : ^", "OR"]:
            with self.subTest(text=text), self.assertRaises(SearchError):
                parse_query(text)

    def test_only_exclusions_is_an_error_that_says_so(self) -> None:
        with self.assertRaisesMessage(SearchError, "cannot only leave words out"):
            parse_query("-okta -saml")

    def test_it_limits_the_length(self) -> None:
        with self.assertRaisesMessage(SearchError, "at most 200 characters"):
            parse_query("a" * 201)


class DatabaseSyntaxTestCase(SimpleTestCase):
    """Every term reaches the database quoted, whatever it holds."""

    def test_fts5_quotes_every_term(self) -> None:
        query = parse_query('AND NEAR(x) "say ""hi""" col:umn ^start OR or* -NOT')
        self.assertEqual(
            query.fts5(),
            '(("AND") AND ("NEAR(x)") AND ("say") AND ("hi") AND ("col:umn")'
            ' AND ("^start" OR "or" *)) NOT "NOT"',
        )

    def test_fts5_doubles_quotes_inside_a_term(self) -> None:
        self.assertEqual(SearchQuery(((Term('a"b'),),)).fts5(), '("a""b")')

    def test_fts5_groups_and_exclusions(self) -> None:
        self.assertEqual(
            parse_query("a b OR c -d -e").fts5(),
            '((("a") AND ("b" OR "c")) NOT "d") NOT "e"',
        )

    def test_tsquery_passes_text_as_parameters(self) -> None:
        sql, params = parse_query("sso OR saml' integr* -month-end").tsquery()
        self.assertEqual(
            sql,
            "((phraseto_tsquery('english', %s) || phraseto_tsquery('english', %s))"
            " && (to_tsquery('english', %s)) && !!phraseto_tsquery('english', %s))",
        )
        self.assertEqual(params, ["sso", "saml'", "'integr':*", "month end"])


class FuseTestCase(SimpleTestCase):
    def test_what_both_rank_high_comes_first(self) -> None:
        keyword = [1, 2, 3, 4]
        semantic = [3, 5, 1, 6]
        self.assertEqual(fuse([keyword, semantic]), [1, 3, 2, 5, 4, 6])

    def test_it_sums_reciprocal_ranks(self) -> None:
        # 7: 1/(60+1) + 1/(60+3); 8: 1/(60+2) + 1/(60+2). 1/61 + 1/63 > 2/62.
        self.assertEqual(fuse([[7, 8], [9, 8, 7]]), [7, 8, 9])

    def test_ties_keep_the_order_first_seen(self) -> None:
        self.assertEqual(fuse([[1, 2], [2, 1]]), [1, 2])
        self.assertEqual(fuse([[5], [4]]), [5, 4])

    def test_a_repeated_id_counts_once_per_ranking(self) -> None:
        self.assertEqual(fuse([[1, 1, 1, 2], [2]]), [2, 1])

    def test_k_weighs_top_ranks(self) -> None:
        # 1 is first once; 2 is second and third. With k = 0 a first place counts for more
        # (1 > 1/2 + 1/3); with the usual k = 60 two good places do (1/61 < 1/62 + 1/63).
        rankings = [[1, 2], [3, 4, 2]]
        self.assertEqual(fuse(rankings, k=0)[0], 1)
        self.assertEqual(fuse(rankings)[0], 2)

    def test_empty_rankings(self) -> None:
        self.assertEqual(fuse([]), [])
        self.assertEqual(fuse([[], [3]]), [3])

    def test_k_must_not_be_negative(self) -> None:
        with self.assertRaises(ValueError):
            fuse([[1]], k=-1)


class SnippetTestCase(SimpleTestCase):
    LONG = (
        "We talked about onboarding for a long while, then about the dashboard, then about the"
        " weather in Lisbon and the team offsite. Near the end they said the month-end exports"
        " take all Monday and the controller has to babysit them. After that we discussed"
        " pricing, seats and the renewal date."
    )

    def test_short_text_is_whole_on_one_line(self) -> None:
        self.assertEqual(snippet("Exports\n  are slow.", "slow"), "Exports are slow.")

    def test_it_centres_on_the_first_match(self) -> None:
        text = snippet(self.LONG, "exporting", width=80)
        self.assertIn("exports take all Monday", text)
        self.assertTrue(text.startswith("…") and text.endswith("…"))
        self.assertLessEqual(len(text), 82)

    def test_without_a_match_it_shows_the_start(self) -> None:
        text = snippet(self.LONG, "kubernetes", width=60)
        self.assertTrue(text.startswith("We talked about onboarding"))
        self.assertTrue(text.endswith("…"))

    def test_a_bad_query_still_gives_the_start(self) -> None:
        self.assertTrue(snippet(self.LONG, '"', width=60).startswith("We talked"))

    def test_highlighting_finds_word_forms(self) -> None:
        pattern = highlight_pattern('exporting "month end" integr* -weather')
        assert pattern is not None
        found = [
            m.group(0) for m in pattern.finditer("Exports at month-end; integrations; weather")
        ]
        self.assertEqual(found, ["Exports", "month", "end", "integrations"])
        self.assertIsNone(highlight_pattern("🙂"))
