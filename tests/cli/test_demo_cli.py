import argparse

from ionnet.cli import demo


def test_demo_prints_the_default_network_link_and_ebits(capsys):
    assert demo.run(argparse.Namespace(seed=0)) == 0
    out = capsys.readouterr().out
    assert "Network 'default'" in out
    assert "heralded fidelity" in out
    assert "ebits delivered" in out


def test_sections_can_be_extended(monkeypatch):
    monkeypatch.setattr(demo, "SECTIONS", [*demo.SECTIONS, lambda ctx: f"extra {ctx.network.name}"])
    rendered = demo.sections(demo.demo_context(seed=1, duration_s=0.1))
    assert rendered[-1] == "extra default"
