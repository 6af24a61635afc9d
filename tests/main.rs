//! Every integration test, compiled into one binary: each file of tests/ is a
//! module here, and the helpers they share are declared once. One binary links
//! once instead of once per file (what cargo's own testsuite does).

mod app_support;
mod changeset_support;
mod protocol_support;
mod support;
mod support_merge;

mod admin_store;
mod app_api;
mod app_sync;
mod auth_http;
mod auth_routes;
mod auth_tokens;
mod changeset_cli;
mod changeset_invalid_values;
mod changeset_malformed;
mod changeset_model;
mod changeset_render;
mod changeset_roundtrip;
mod changeset_spec_encodings;
mod changeset_spec_examples;
mod changeset_vectors;
mod changeset_wire;
mod check_configuration;
mod citations;
mod cli_assets;
mod cli_errors;
mod cli_layout;
mod cli_permission;
mod cli_probe;
mod cli_token;
mod cli_user;
mod colour;
mod converge_sim;
mod init;
#[path = "merge_golden/main.rs"]
mod merge_golden;
mod merge_replay;
mod merge_server;
mod objects_apply;
mod openapi_admin;
mod permission_rules;
mod protocol_codes;
mod protocol_malformed_body;
mod protocol_malformed_head;
mod protocol_malformed_numbers;
mod protocol_roundtrip;
mod protocol_spec_examples;
mod protocol_vectors;
mod serve;
mod sharing_http;
mod start;
mod sync_converge;
mod sync_crash;
mod sync_errors;
mod sync_limits;
mod sync_owner;
mod sync_routes;
mod sync_vectors;
mod token_admin_file;
mod token_check;
mod token_forms;
mod token_keys;
mod token_malformed;
mod token_openssl;
