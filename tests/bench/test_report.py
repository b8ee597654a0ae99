"""The table `make bench` prints (bench/report.py): aligned columns, section headings, a
failed measure as ``FAILED: <error>`` in its row, and ratios written for reading."""

from bench.report import Row, failed, format_table, ratio


def test_rows_line_up_under_their_columns_and_a_failed_measure_says_why():
    rows = [Row("31-page crosswalk, ruled"),
            Row("pdfium engine", seconds=0.31, pages_per_s=100.0, accuracy="100.00% (4,249)",
                ratios="0.50× char floor"),
            Row("camelot engine", failed="duplicate competency code 3C.3: page 14 has other text"),
            Row("300-page PDF, pdfium engine", seconds=12.5, pages_per_s=24.8, peak_mib=412.4)]
    assert format_table(rows).splitlines() == [
        "measure                           time  pages/s     peak  cells equal      ratios (same run)",
        "31-page crosswalk, ruled",
        "  pdfium engine                 0.31 s    100.0           100.00% (4,249)  0.50× char floor",
        "  camelot engine                                                           FAILED: "
        "duplicate competency code 3C.3: page 14 has other text",
        "  300-page PDF, pdfium engine  12.50 s     24.8  412 MiB",
    ]
    assert failed(rows) == [rows[2]]


def test_ratios_keep_two_decimals_below_20_and_none_from_20_on():
    assert [ratio(v, 2.0) for v in (0.5, 3.0, 39.0, 150.0)] == ["0.25×", "1.50×", "19.50×", "75×"]
