import pytest

from pacov.atomic import atomic_path, write_text
from pacov.errors import PacovError


def test_failure_leaves_previous_output_and_no_temporary_file(tmp_path):
    target = tmp_path / "table.csv"
    write_text(target, "old\n")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_unwritable_folder(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(PacovError, match="cannot write output"):
        write_text(tmp_path / "f" / "x.csv", "x")
