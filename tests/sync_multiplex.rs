//! Several sessions on one connection (`Wire::multiplex`), as realm-core runs
//! the Realms of one app: each session gets its own messages, a writer's
//! changeset reaches a reader bound on the same connection, and a session
//! error ends that session only.

use ros::changeset::Changeset;
use ros::client::sync::{Endpoint, RealmClient, SyncError, Wire};
use ros::objects::final_state;
use ros::protocol::SessionIdent;

use crate::support::sync_server::{runtime, SyncServer};
use crate::support::workload;

fn session(n: u64) -> SessionIdent {
    SessionIdent::new(n).unwrap()
}

#[test]
fn sessions_sharing_a_connection_each_get_their_own_messages() {
    let server = SyncServer::start(&[]);
    runtime().block_on(async {
        let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
        let wire = Wire::connect(&endpoint).await.unwrap();
        let idents = [session(1), session(2), session(3), session(4)];
        let mut wires = wire.multiplex(&idents).unwrap().into_iter();
        let (mut w1, mut w2, mut w3, mut w4) = (
            wires.next().unwrap(),
            wires.next().unwrap(),
            wires.next().unwrap(),
            wires.next().unwrap(),
        );

        // Two sessions on /shared-a, one on /shared-b, one on an illegal path.
        let mut writer = RealmClient::new("/shared-a");
        let mut reader = RealmClient::new("/shared-a");
        let mut other = RealmClient::new("/shared-b");
        let mut illegal = RealmClient::new("/shared/../x");
        writer.bind(&mut w1, idents[0]).await.unwrap();
        reader.bind(&mut w2, idents[1]).await.unwrap();
        other.bind(&mut w3, idents[2]).await.unwrap();
        let refused = illegal.bind(&mut w4, idents[3]).await;
        assert!(
            matches!(refused, Err(SyncError::Server { code: 204, .. })),
            "{refused:?}"
        );

        // The error ended that session only: the others still sync.
        writer.commit(workload::schema()).unwrap();
        for pk in 0..20 {
            writer
                .commit(Changeset::new(vec![workload::create(pk)]))
                .unwrap();
        }
        other.commit(workload::schema()).unwrap();
        other
            .commit(Changeset::new(vec![workload::create(1000)]))
            .unwrap();
        writer.sync_until_idle(&mut w1).await.unwrap();
        other.sync_until_idle(&mut w3).await.unwrap();
        reader.sync_until_idle(&mut w2).await.unwrap();
        assert!(writer.is_uploaded() && other.is_uploaded());

        // The reader on the same connection has the writer's objects and
        // nothing of the other Realm's.
        assert_eq!(final_state(reader.state()), final_state(writer.state()));
        let objects = |c: &RealmClient| c.state().objects(workload::TABLE).map_or(0, |o| o.len());
        assert_eq!(objects(&reader), 20);
        assert_eq!(objects(&other), 1);
        assert_ne!(writer.file_ident(), reader.file_ident());

        // PING/PONG on a share goes to the wire that pinged.
        w3.ping().await.unwrap();
        reader.unbind(&mut w2).await.unwrap();
        writer.unbind(&mut w1).await.unwrap();
        other.unbind(&mut w3).await.unwrap();
    });
}
