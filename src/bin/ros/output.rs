//! How results are shown: `--format table` (comfy-table, for people) or
//! `--format json` (stable, documented in `docs/cli-json.md`). Only here.
//! Colour only on a terminal and never with `NO_COLOR` ([`ros::logging::use_colour`]).

use std::io::IsTerminal;

use clap::ValueEnum;
use comfy_table::Table;
use ros::admin::json::{RemovalJson, UserJson};
use ros::admin::sharing::json::{
    AcceptedJson, ChangeJson, OfferJson, PermissionJson, PermissionListJson, RealmDetailsJson,
    RealmJson, RevokedJson,
};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
}

/// Writes a line to standard output. A closed pipe (`ros ... | head`) is not an
/// error worth a panic: the reader has what it wanted.
fn print(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

pub fn json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => print(&text),
        Err(e) => eprintln!("ros: cannot write JSON: {e}"),
    }
}

pub fn table(header: &[&str], rows: Vec<Vec<String>>) {
    let mut table = Table::new();
    if !ros::logging::use_colour(std::io::stdout().is_terminal()) {
        // No cell styling (escapes) when standard output is a file or a pipe.
        table.force_no_tty();
    }
    table.set_header(header.to_vec());
    for row in rows {
        table.add_row(row);
    }
    print(&table.to_string());
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

fn flag(b: bool) -> String {
    if b { "yes" } else { "-" }.to_string()
}

fn grantee(user: &str) -> String {
    if user == "*" {
        "* (default)".to_string()
    } else {
        user.to_string()
    }
}

fn permission_rows(entries: &[PermissionJson]) -> Vec<Vec<String>> {
    entries
        .iter()
        .map(|e| {
            vec![
                e.realm.clone(),
                grantee(&e.user),
                flag(e.may_read),
                flag(e.may_write),
                flag(e.may_manage),
                e.updated_at.clone(),
            ]
        })
        .collect()
}

const PERMISSION_HEADER: [&str; 6] = ["REALM", "USER", "READ", "WRITE", "MANAGE", "UPDATED"];

pub fn permissions(format: Format, list: &PermissionListJson) {
    match format {
        Format::Json => json(list),
        Format::Table => table(&PERMISSION_HEADER, permission_rows(&list.permissions)),
    }
}

pub fn change(format: Format, change: &ChangeJson) {
    match format {
        Format::Json => json(change),
        Format::Table => table(&PERMISSION_HEADER, permission_rows(&change.permissions)),
    }
}

pub fn revoked(format: Format, revoked: &RevokedJson) {
    match format {
        Format::Json => json(revoked),
        Format::Table => {
            let what = if revoked.removed {
                "removed"
            } else {
                "there was no such entry"
            };
            table(
                &["REALM", "USER", "ENTRY"],
                vec![vec![
                    revoked.realm.clone(),
                    grantee(&revoked.user),
                    what.into(),
                ]],
            )
        }
    }
}

fn offer_row(o: &OfferJson) -> Vec<String> {
    let state = if o.revoked_at.is_some() {
        "revoked"
    } else {
        "active"
    };
    vec![
        o.token.clone(),
        o.realm.clone(),
        flag(o.may_read),
        flag(o.may_write),
        flag(o.may_manage),
        o.expires_at.clone().unwrap_or_else(|| "never".into()),
        state.to_string(),
        o.accepted_by.len().to_string(),
    ]
}

const OFFER_HEADER: [&str; 8] = [
    "TOKEN", "REALM", "READ", "WRITE", "MANAGE", "EXPIRES", "STATE", "ACCEPTED",
];

pub fn offers(format: Format, offers: &[OfferJson]) {
    match format {
        Format::Json => json(offers),
        Format::Table => table(&OFFER_HEADER, offers.iter().map(offer_row).collect()),
    }
}

pub fn offer(format: Format, offer: &OfferJson) {
    match format {
        Format::Json => json(offer),
        Format::Table => table(&OFFER_HEADER, vec![offer_row(offer)]),
    }
}

pub fn accepted(format: Format, accepted: &AcceptedJson) {
    match format {
        Format::Json => json(accepted),
        Format::Table => table(
            &["REALM", "READ", "WRITE", "MANAGE"],
            vec![vec![
                accepted.realm.clone(),
                flag(accepted.may_read),
                flag(accepted.may_write),
                flag(accepted.may_manage),
            ]],
        ),
    }
}

fn realm_row(r: &RealmJson) -> Vec<String> {
    vec![
        r.realm.clone(),
        r.owner.clone().unwrap_or_else(|| "-".into()),
        r.created_at.clone(),
    ]
}

pub fn realms(format: Format, realms: &[RealmJson]) {
    match format {
        Format::Json => json(realms),
        Format::Table => table(
            &["REALM", "OWNER", "CREATED"],
            realms.iter().map(realm_row).collect(),
        ),
    }
}

pub fn realm(format: Format, details: &RealmDetailsJson) {
    match format {
        Format::Json => json(details),
        Format::Table => {
            table(
                &["REALM", "OWNER", "CREATED"],
                vec![vec![
                    details.realm.clone(),
                    details.owner.clone().unwrap_or_else(|| "-".into()),
                    details.created_at.clone(),
                ]],
            );
            table(&PERMISSION_HEADER, permission_rows(&details.permissions));
        }
    }
}
