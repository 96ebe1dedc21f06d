//! The figures of a run and their table: each workload's figure per
//! engine, and this engine's ratio to the fastest (or smallest) peer.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::EngineKind;

/// One measurement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Figure {
    Time(Duration),
    Bytes(u64),
}

impl Figure {
    /// The figure as a number to compare (seconds or bytes); lower is better.
    pub fn magnitude(self) -> f64 {
        match self {
            Figure::Time(time) => time.as_secs_f64(),
            Figure::Bytes(bytes) => bytes as f64,
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Figure::Time(time) => {
                let seconds = time.as_secs_f64();
                if seconds >= 1.0 {
                    write!(f, "{seconds:.2} s")
                } else {
                    write!(f, "{:.1} ms", seconds * 1e3)
                }
            }
            Figure::Bytes(bytes) => write!(f, "{:.1} MiB", bytes as f64 / (1u64 << 20) as f64),
        }
    }
}

/// A workload's figures.
#[derive(Clone, Debug)]
pub struct Row {
    pub suite: String,
    pub workload: String,
    pub figures: BTreeMap<EngineKind, Figure>,
}

impl Row {
    /// This engine's figure divided by the best peer's: above 1 means
    /// slower (or larger) than the best peer. None without both.
    pub fn ratio_to_best_peer(&self) -> Option<f64> {
        let ours = self.figures.get(&EngineKind::Ese)?.magnitude();
        let best = self
            .figures
            .iter()
            .filter(|(kind, _)| **kind != EngineKind::Ese)
            .map(|(_, figure)| figure.magnitude())
            .min_by(f64::total_cmp)?;
        (best > 0.0).then(|| ours / best)
    }
}

/// Every figure of a run, in the order the workloads ran.
#[derive(Clone, Debug)]
pub struct Report {
    pub engines: Vec<EngineKind>,
    pub rows: Vec<Row>,
}

impl Report {
    pub fn new(engines: Vec<EngineKind>) -> Self {
        Report {
            engines,
            rows: Vec::new(),
        }
    }

    pub fn record(&mut self, suite: &str, workload: &str, engine: EngineKind, figure: Figure) {
        let position = self
            .rows
            .iter()
            .position(|row| row.suite == suite && row.workload == workload);
        let row = match position {
            Some(position) => &mut self.rows[position],
            None => {
                self.rows.push(Row {
                    suite: suite.into(),
                    workload: workload.into(),
                    figures: BTreeMap::new(),
                });
                self.rows.last_mut().expect("just pushed")
            }
        };
        row.figures.insert(engine, figure);
    }

    pub fn row(&self, workload: &str) -> Option<&Row> {
        self.rows.iter().find(|row| row.workload == workload)
    }

    /// The figures as Markdown tables, one per suite.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let mut suite: Option<&str> = None;
        for row in &self.rows {
            if suite != Some(row.suite.as_str()) {
                suite = Some(&row.suite);
                let engines: Vec<EngineKind> = self
                    .engines
                    .iter()
                    .copied()
                    .filter(|kind| {
                        self.rows
                            .iter()
                            .any(|r| r.suite == row.suite && r.figures.contains_key(kind))
                    })
                    .collect();
                out.push_str(&format!("\n### {}\n\n| workload |", row.suite));
                for kind in &engines {
                    out.push_str(&format!(" {} |", kind.name()));
                }
                out.push_str(" ese ÷ best peer |\n|---|");
                for _ in &engines {
                    out.push_str("---:|");
                }
                out.push_str("---:|\n");
                for r in self.rows.iter().filter(|r| r.suite == row.suite) {
                    out.push_str(&format!("| {} |", r.workload));
                    for kind in &engines {
                        match r.figures.get(kind) {
                            Some(figure) => out.push_str(&format!(" {figure} |")),
                            None => out.push_str(" – |"),
                        }
                    }
                    match r.ratio_to_best_peer() {
                        Some(ratio) => out.push_str(&format!(" {ratio:.2} |\n")),
                        None => out.push_str(" – |\n"),
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Figure {
        Figure::Time(Duration::from_millis(millis))
    }

    #[test]
    fn the_ratio_is_to_the_fastest_peer() {
        let mut report = Report::new(EngineKind::ALL.to_vec());
        report.record("s", "w", EngineKind::Ese, ms(300));
        report.record("s", "w", EngineKind::Sqlite, ms(600));
        report.record("s", "w", EngineKind::Lmdb, ms(150));
        report.record("s", "w", EngineKind::Redb, ms(200));
        let ratio = report.row("w").unwrap().ratio_to_best_peer().unwrap();
        assert!((ratio - 2.0).abs() < 1e-9, "{ratio}");
        let table = report.to_markdown();
        assert!(
            table.contains("| w | 300.0 ms | 600.0 ms | 150.0 ms | 200.0 ms | 2.00 |"),
            "{table}"
        );
    }

    #[test]
    fn sizes_compare_and_print_in_mebibytes() {
        let mut report = Report::new(vec![EngineKind::Ese, EngineKind::Sqlite]);
        report.record("s", "size", EngineKind::Ese, Figure::Bytes(3 << 20));
        report.record("s", "size", EngineKind::Sqlite, Figure::Bytes(4 << 20));
        let row = report.row("size").unwrap();
        assert_eq!(row.ratio_to_best_peer(), Some(0.75));
        assert!(report
            .to_markdown()
            .contains("| size | 3.0 MiB | 4.0 MiB | 0.75 |"));
    }
}
