"""The documentation's order diagram is generated from the code."""

from pathlib import Path

from emporia.core.orders.diagram import mermaid

DOC = Path(__file__).resolve().parents[2] / "docs" / "orders-payments-ledger.md"


def test_the_order_diagram_in_the_docs_matches_the_transition_table():
    assert mermaid() in DOC.read_text(encoding="utf-8")
