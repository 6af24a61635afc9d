//! Defect 1 of issue 17: parallel wrong passwords for one username are counted
//! before the password hash runs, so a burst cannot get past the login throttle.

use crate::support;

use serde_json::json;
use support::http::{serve_site, Api};
use support::init_site;

#[test]
fn a_burst_of_parallel_wrong_logins_is_checked_at_most_the_allowance() {
    let (_tmp, site) = init_site();
    let serving = serve_site(
        &site,
        &[
            ("ROS_AUTH__LOGIN_THROTTLE__ACCOUNT_FAILURES", "5"),
            ("ROS_AUTH__LOGIN_THROTTLE__ADDRESS_FAILURES", "1000"),
        ],
    );
    let api = Api::new(format!("http://{}", serving.listening.http));
    let registered = api.call(
        "POST",
        "/auth",
        "/auth",
        None,
        Some(&json!({"provider": "password", "username": "alice", "password": "right", "register": true})),
    );
    assert_eq!(registered.status, 200, "{:#}", registered.body);

    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..30)
            .map(|i| {
                let api = &api;
                scope.spawn(move || {
                    let body = json!({"provider": "password", "username": "alice", "password": format!("wrong{i}")});
                    api.call("POST", "/auth", "/auth", None, Some(&body)).status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 30, "{statuses:?}");
    assert!(
        checked <= 5,
        "{checked} wrong passwords were checked: {statuses:?}"
    );
    assert!(checked >= 1, "{statuses:?}");

    let right = api.call(
        "POST",
        "/auth",
        "/auth",
        None,
        Some(&json!({"provider": "password", "username": "alice", "password": "right"})),
    );
    assert_eq!(right.status, 429, "{:#}", right.body);
    assert!(right.headers.contains_key("retry-after"));
}
