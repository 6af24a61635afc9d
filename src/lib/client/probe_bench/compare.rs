//! `--compare`: each figure of a new report against an old one.

use serde::Serialize;

use super::BenchReport;

/// One figure against the previous report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureChange {
    pub figure: String,
    pub old: f64,
    pub new: f64,
    /// Percent change, new against old (`None` when old is 0).
    pub change_pct: Option<f64>,
    pub regressed: bool,
}

/// The figures `--compare` checks: throughput (higher is better) and latency
/// (lower is better). A regression is a change past `max_regression_pct` the wrong way.
pub fn compare(old: &BenchReport, new: &BenchReport, max_regression_pct: f64) -> Vec<FigureChange> {
    let (t_old, t_new) = (&old.throughput, &new.throughput);
    let (l_old, l_new) = (&old.latency_ms, &new.latency_ms);
    let figures = [
        (
            "throughput.acknowledged_per_s",
            t_old.acknowledged_per_s,
            t_new.acknowledged_per_s,
            true,
        ),
        (
            "throughput.received_per_s",
            t_old.received_per_s,
            t_new.received_per_s,
            true,
        ),
        ("latency_ms.p50", l_old.p50, l_new.p50, false),
        ("latency_ms.p90", l_old.p90, l_new.p90, false),
        ("latency_ms.p99", l_old.p99, l_new.p99, false),
        ("latency_ms.max", l_old.max, l_new.max, false),
    ];
    figures
        .into_iter()
        .map(|(figure, old, new, higher_better)| {
            let change_pct = (old != 0.0).then(|| (new - old) / old * 100.0);
            let regressed = match change_pct {
                Some(pct) if higher_better => pct < -max_regression_pct,
                Some(pct) => pct > max_regression_pct,
                None => false,
            };
            FigureChange {
                figure: figure.into(),
                old,
                new,
                change_pct,
                regressed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_flags_lower_throughput_and_higher_latency() {
        let mut old = BenchReport::default();
        old.throughput.acknowledged_per_s = 100.0;
        old.latency_ms.p99 = 10.0;
        let mut new = old.clone();
        assert!(compare(&old, &new, 20.0).iter().all(|c| !c.regressed));
        new.throughput.acknowledged_per_s = 70.0;
        new.latency_ms.p99 = 11.0;
        let changes = compare(&old, &new, 20.0);
        let regressed: Vec<&str> = changes
            .iter()
            .filter(|c| c.regressed)
            .map(|c| c.figure.as_str())
            .collect();
        assert_eq!(regressed, ["throughput.acknowledged_per_s"]);
        new.latency_ms.p99 = 13.0;
        assert!(compare(&old, &new, 20.0)
            .iter()
            .any(|c| c.figure == "latency_ms.p99" && c.regressed));
    }
}
