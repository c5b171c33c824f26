"""Pure functions returning plotly figures; testable without Streamlit."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go


def horizontal_bars(rows: Sequence[tuple[str, int]], value_label: str) -> go.Figure:
    """One bar per (label, value), largest at the top."""
    labels = [label for label, _ in rows][::-1]
    values = [value for _, value in rows][::-1]
    figure = go.Figure(go.Bar(x=values, y=labels, orientation="h", marker_color="#1f6f8b"))
    figure.update_layout(
        xaxis_title=value_label,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=max(220, 28 * len(rows)),
    )
    return figure
