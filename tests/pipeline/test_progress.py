from types import SimpleNamespace

from pipeline.progress import DocumentProgress, StepProgress


def test_progress_is_silent_when_disabled_and_runs_when_enabled(capsys):
    with DocumentProgress(enabled=False) as p:
        p.update(SimpleNamespace(documents=3, quads=10))
    with StepProgress(5, enabled=False) as s:
        s.update(SimpleNamespace(step=1, images_per_second=9.0, losses={"g_pixel": 0.5}))
    assert capsys.readouterr().err == ""
    with StepProgress(5, enabled=True) as s:
        s.update(SimpleNamespace(step=2, images_per_second=9.0, losses={"g_pixel": 0.5}))
    with DocumentProgress(enabled=True) as p:
        p.update(SimpleNamespace(documents=3, quads=10))
