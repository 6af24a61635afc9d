//! How results are shown: `--format table` (comfy-table, for people) or
//! `--format json` (stable, documented in `docs/cli-json.md`). Only here.

use clap::ValueEnum;
use comfy_table::Table;
use ros::admin::json::{RemovalJson, UserJson};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
}

pub fn json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("ros: cannot write JSON: {e}"),
    }
}

pub fn table(header: &[&str], rows: Vec<Vec<String>>) {
    let mut table = Table::new();
    table.set_header(header.to_vec());
    for row in rows {
        table.add_row(row);
    }
    println!("{table}");
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn user_row(user: &UserJson) -> Vec<String> {
    vec![
        user.user_id.clone(),
        user.username().unwrap_or("-").to_string(),
        yes_no(user.is_admin),
        yes_no(user.disabled),
        user.created_at.clone(),
    ]
}

const USER_HEADER: [&str; 5] = ["USER ID", "USERNAME", "ADMIN", "DISABLED", "CREATED"];

pub fn users(format: Format, users: &[UserJson]) {
    match format {
        Format::Json => json(users),
        Format::Table => table(&USER_HEADER, users.iter().map(user_row).collect()),
    }
}

pub fn user(format: Format, user: &UserJson) {
    match format {
        Format::Json => json(user),
        Format::Table => table(&USER_HEADER, vec![user_row(user)]),
    }
}

pub fn removal(format: Format, removal: &RemovalJson) {
    match format {
        Format::Json => json(removal),
        Format::Table => {
            let realms = if removal.owned_realms.is_empty() {
                "-".to_string()
            } else {
                removal.owned_realms.join("\n")
            };
            table(
                &[
                    "REMOVED USER ID",
                    "USERNAME",
                    "SESSIONS ENDED",
                    "KEPT REALMS",
                ],
                vec![vec![
                    removal.user.user_id.clone(),
                    removal.user.username().unwrap_or("-").to_string(),
                    removal.sessions_revoked.to_string(),
                    realms,
                ]],
            )
        }
    }
}

/// A key/value table of a JSON object's members (nulls shown as `-`).
pub fn fields(value: &serde_json::Value) {
    let rows = value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let shown = match v {
                serde_json::Value::Null => "-".to_string(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            vec![k.clone(), shown]
        })
        .collect();
    table(&["FIELD", "VALUE"], rows);
}
