"""The figures each reliability test prints, shown again in the run's summary."""

FIGURES: list[tuple[str, list[tuple[str, object]]]] = []


def report(title: str, rows: list[tuple[str, object]]) -> None:
    FIGURES.append((title, rows))
    print(f"\n{title}")
    for name, value in rows:
        print(f"  {name:<62} {value}")
