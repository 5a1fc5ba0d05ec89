from __future__ import annotations

from credence.microcredentials import services as mc
from credence.microcredentials.diff import diff_versions, redline
from credence.microcredentials.models import VersionStatus

from ..factories import make_version


def _next_draft(world):
    old = make_version(world.home, status=VersionStatus.PUBLISHED, title="Data analysis")
    new = mc.start_new_version(actor=None, micro_credential=old.micro_credential)
    return old, new


def test_two_identical_versions_have_no_differences(world):
    old, new = _next_draft(world)
    diff = diff_versions(old, new)
    assert diff.is_empty


def test_it_lists_changed_fields_with_old_and_new_values(world):
    old, new = _next_draft(world)
    new = mc.update_draft(
        actor=None,
        version=new,
        lock_version=new.lock_version,
        data={"title": "Applied data analysis", "credits": "10", "eqf_level": 7},
    )
    diff = diff_versions(old, new)
    changed = {c.field: (c.old, c.new) for c in diff.fields}
    assert changed == {
        "title": ("Data analysis", "Applied data analysis"),
        "credits": ("5", "10"),
        "eqf_level": (6, 7),
    }


def test_an_edited_outcome_shows_as_changed_not_removed_and_added(world):
    old, new = _next_draft(world)
    first = new.learning_outcomes.first()
    new = mc.change_part(
        actor=None,
        version=new,
        kind="learning_outcomes",
        update=(first.pk, {"text": "Clean, reshape and describe a data set."}),
    )
    changes = diff_versions(old, new).parts["learning_outcomes"]
    assert [c.change for c in changes] == ["changed"]
    assert changes[0].fields[0].old.startswith("Clean and describe")
    assert changes[0].fields[0].new == "Clean, reshape and describe a data set."


def test_it_lists_parts_added_and_removed(world):
    old, new = _next_draft(world)
    modules = list(new.modules.all())
    new = mc.change_part(actor=None, version=new, kind="modules", remove=modules[0].pk)
    new = mc.change_part(actor=None, version=new, kind="learning_outcomes", add={"text": "Present findings."})
    diff = diff_versions(old, new)
    assert [(c.change, c.old_number) for c in diff.parts["modules"]] == [("removed", 1)]
    added = diff.parts["learning_outcomes"]
    assert [(c.change, c.new_number, c.new["text"]) for c in added] == [("added", 3, "Present findings.")]


def test_a_changed_alignment_shows_on_the_assessment(world):
    old, new = _next_draft(world)
    quiz = list(new.assessments.all())[1]
    new = mc.change_part(actor=None, version=new, kind="assessments", update=(quiz.pk, {"outcomes": [1, 2]}))
    changes = diff_versions(old, new).parts["assessments"]
    assert len(changes) == 1
    assert changes[0].fields[0].field == "outcomes"
    assert (changes[0].fields[0].old, changes[0].fields[0].new) == ([1], [1, 2])


def test_removing_an_outcome_keeps_alignments_pointing_at_the_same_outcomes(world):
    version = make_version(world.home)
    first, second = version.learning_outcomes.all()
    version = mc.change_part(actor=None, version=version, kind="learning_outcomes", remove=first.pk)
    project = version.assessments.first()
    assert [o.text for o in project.outcomes.all()] == [second.text]


def test_redline_marks_deleted_and_inserted_words_and_escapes_markup():
    html = redline("Describe a data set", "Describe and <script> a data set")
    assert "<ins>and &lt;script&gt;</ins>" in html
    assert "<script>" not in html
    assert redline("a b", "a c") == "a <del>b</del> <ins>c</ins>"


def test_redline_of_an_empty_side_has_no_empty_marks():
    assert redline("", "new words") == "<ins>new words</ins>"
    assert redline("old words", None) == "<del>old words</del>"
    assert redline("", "") == ""
