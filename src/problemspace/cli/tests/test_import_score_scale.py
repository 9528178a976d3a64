"""`problemspace import --score-scale`: the scale of a column of scores, as the user meets it."""

from __future__ import annotations

from problemspace.cli.tests.test_import_command import CliTestCase
from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.importing_helpers import write


class ImportScoreScaleTestCase(CliTestCase):
    def test_it_reads_a_bare_score_column_on_the_scale_given(self) -> None:
        path = write(self.tmp, "survey.csv", "text,date,Score\nWould recommend,2025-01-02,9\n")
        code, out, err = self.run_cli(str(path), "--score-scale", "nps")
        assert code == 0, err
        assert "score <- Score" in out
        assert "Scores read on the NPS scale, except in rows that give their own." in out
        evidence = Evidence.objects.get()
        assert (evidence.score, evidence.score_scale) == (9.0, "nps")

    def test_it_says_the_scale_it_took_from_the_column_name(self) -> None:
        path = write(self.tmp, "store.csv", "text,date,Stars\nLove it,2025-01-02,★★★★★\n")
        code, out, err = self.run_cli(str(path))
        assert code == 0, err
        assert "Scores read on the stars scale" in out
        assert Evidence.objects.get().score == 5.0

    def test_a_bare_score_column_without_the_option_is_refused(self) -> None:
        path = write(self.tmp, "bare.csv", "text,date,Score\nFine,2025-01-02,4\n")
        code, out, err = self.run_cli(str(path))
        assert code == 2 and out == ""
        message = " ".join(err.split())
        assert "bare.csv has a column of scores ('Score') but nothing says their scale" in message
        assert "Pass --score-scale stars, nps or csat" in message
        assert "Traceback" not in err
        assert not Evidence.objects.exists()

    def test_bad_scores_are_listed_with_their_column_and_nothing_is_imported(self) -> None:
        content = "text,date,NPS\nOk,2025-01-02,8\nMinus,2025-01-02,-1\nWords,2025-01-02,meh\n"
        code, _, err = self.run_cli(str(write(self.tmp, "nps.csv", content)))
        assert code == 2
        assert "2 rows are not valid in nps.csv; nothing was imported" in err
        assert "line 3, score (column 'NPS'): '-1' is not on the NPS scale (0 to 10)" in err
        assert "line 4, score (column 'NPS'): 'meh' is not a score" in err
        assert not Evidence.objects.exists()

    def test_an_unknown_scale_is_an_argument_error(self) -> None:
        path = write(self.tmp, "x.csv", "text,date\nx,2025-01-02\n")
        try:
            self.run_cli(str(path), "--score-scale", "percent")
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError("--score-scale percent was accepted")
        assert "invalid choice: 'percent'" in self.capsys.readouterr().err
