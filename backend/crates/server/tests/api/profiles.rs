//! Connected accounts' names and pictures kept fresh by the scheduler, against the loopback
//! LinkedIn (`fakenets`): a page renamed or given a new logo and a member renamed on the
//! network show up about a day later without reconnecting, a logo whose signed address
//! expires sooner is read again before it does, a failed read keeps what was stored, and a
//! revoked token asks for a reconnect as publishing does.

use chrono::Duration;
use fakenets::{Failure, linkedin::FakeLinkedin};
use serde_json::Value;
use server::{clock::Clock, schedules::scheduler::TickReport};

use crate::{
    common::{TestApp, TestUser},
    linkedin_pages::{bakery, connect_chosen, fake_with},
    publishing::linkedin_app_on,
};

const NEW_NAME: &str = "Rye & Crumb Bakehouse";

async fn pages_app_on(postgres: bool, fake: &FakeLinkedin) -> Option<TestApp> {
    linkedin_app_on(postgres, fake, &[("LINKEDIN_ORGANIZATION_PAGES", "true")]).await
}

/// One scheduler tick at the app's time, `after` from now.
async fn tick_after(app: &TestApp, after: Duration) -> TickReport {
    app.clock.advance(after);
    server::runtime::scheduler_of(&app.state, "publisher".into()).tick_at(app.clock.now()).await.unwrap()
}

async fn connection(app: &TestApp, user: &TestUser, connected: &Value) -> Value {
    let path = format!("/connections/{}", connected["id"].as_str().unwrap());
    app.get(&path, Some(&user.token)).await.json().await.unwrap()
}

/// What the console shows of an account: handle, name and picture.
fn face(connection: &Value) -> (String, String, Option<String>) {
    (
        connection["handle"].as_str().unwrap().to_owned(),
        connection["display_name"].as_str().unwrap().to_owned(),
        connection["avatar_url"].as_str().map(str::to_owned),
    )
}

async fn changes_on_the_network_show_up_a_day_later(postgres: bool) {
    let fake = fake_with(vec![bakery()], false).await;
    let Some(app) = pages_app_on(postgres, &fake).await else { return };
    let user = app.user().await;
    let connected = connect_chosen(&app, &user, &[fake.person_urn(), bakery().urn()]).await;
    let (profile, page) = (&connected[0], &connected[1]);
    let first_logo = fake.logo_url(&bakery()).unwrap();
    assert_eq!(page["avatar_url"], first_logo.as_str());

    fake.rename_member("Ada Baker");
    fake.rename_page(bakery().id, NEW_NAME);
    fake.replace_logo(bakery().id);
    let new_logo = fake.logo_url(&bakery()).unwrap();
    assert_ne!(new_logo, first_logo);

    // Read when connecting: not again within the day.
    let report = tick_after(&app, Duration::hours(12)).await;
    assert_eq!((report.profiles_refreshed, report.profiles_failed), (0, 0), "{report:?}");
    assert_eq!(face(&connection(&app, &user, page).await).0, bakery().name);

    let report = tick_after(&app, Duration::hours(12) + Duration::minutes(1)).await;
    assert_eq!((report.profiles_refreshed, report.profiles_failed), (2, 0), "{report:?}");
    let page_now = connection(&app, &user, page).await;
    assert_eq!(face(&page_now), (NEW_NAME.into(), NEW_NAME.into(), Some(new_logo)));
    assert_eq!(page_now["status"], "active");
    let profile_now = connection(&app, &user, profile).await;
    assert_eq!((face(&profile_now).0, face(&profile_now).1), ("Ada Baker".into(), "Ada Baker".into()));
    let listed: Value = app.get("/connections", Some(&user.token)).await.json().await.unwrap();
    assert!(listed["items"].as_array().unwrap().iter().any(|item| item["handle"] == NEW_NAME), "{listed:#}");

    // Once a day: the next tick reads nothing.
    let report = tick_after(&app, Duration::minutes(1)).await;
    assert_eq!(report.profiles_refreshed, 0, "{report:?}");
}

async fn a_logo_is_read_again_before_its_address_expires(postgres: bool) {
    let fake = fake_with(vec![bakery()], false).await;
    let Some(app) = pages_app_on(postgres, &fake).await else { return };
    let user = app.user().await;
    let page = connect_chosen(&app, &user, &[bakery().urn()]).await.remove(0);

    // The first daily read learns that the logo's address works for 30 hours only.
    fake.set_logo_lifetime(Duration::hours(30));
    let report = tick_after(&app, Duration::days(1) + Duration::minutes(1)).await;
    assert_eq!(report.profiles_refreshed, 1, "{report:?}");
    fake.replace_logo(bakery().id);
    // So the next read comes an hour before the 30 hours are up (29 hours after connecting),
    // not a day later.
    let report = tick_after(&app, Duration::hours(3)).await;
    assert_eq!(report.profiles_refreshed, 0, "{report:?}");
    let report = tick_after(&app, Duration::hours(2)).await;
    assert_eq!(report.profiles_refreshed, 1, "{report:?}");
    assert_eq!(
        connection(&app, &user, &page).await["avatar_url"],
        fake.logo_url(&bakery()).unwrap().as_str()
    );
}

async fn a_failed_read_keeps_the_stored_name_and_logo(postgres: bool) {
    let fake = fake_with(vec![bakery()], false).await;
    let Some(app) = pages_app_on(postgres, &fake).await else { return };
    let user = app.user().await;
    let connected = connect_chosen(&app, &user, &[fake.person_urn(), bakery().urn()]).await;
    let (profile, page) = (&connected[0], &connected[1]);
    let (profile_before, page_before) =
        (face(&connection(&app, &user, profile).await), face(&connection(&app, &user, page).await));

    // The page's name can be read but not its new logo; the member's profile not at all.
    fake.rename_page(bakery().id, NEW_NAME);
    fake.replace_logo(bakery().id);
    fake.rename_member("Ada Baker");
    fake.break_images();
    fake.fail_next(1, Failure::Unavailable);
    let report = tick_after(&app, Duration::days(1) + Duration::minutes(1)).await;
    assert_eq!((report.profiles_refreshed, report.profiles_failed), (0, 2), "{report:?}");
    for (connected, before) in [(profile, &profile_before), (page, &page_before)] {
        let now = connection(&app, &user, connected).await;
        assert_eq!(&face(&now), before);
        assert_eq!(now["status"], "active", "{now:#}");
    }
    // Not again at the next tick: an hour later, once LinkedIn answers.
    let report = tick_after(&app, Duration::minutes(1)).await;
    assert_eq!(report.profiles_refreshed + report.profiles_failed, 0, "{report:?}");
    fake.repair_images();
    let report = tick_after(&app, Duration::hours(1)).await;
    assert_eq!((report.profiles_refreshed, report.profiles_failed), (2, 0), "{report:?}");
    assert_eq!(face(&connection(&app, &user, page).await).0, NEW_NAME);
}

async fn a_revoked_token_asks_for_a_reconnect(postgres: bool) {
    let fake = fake_with(vec![bakery()], false).await;
    let Some(app) = pages_app_on(postgres, &fake).await else { return };
    let user = app.user().await;
    let connected = connect_chosen(&app, &user, &[fake.person_urn(), bakery().urn()]).await;
    fake.revoke_all();
    let report = tick_after(&app, Duration::days(1) + Duration::minutes(1)).await;
    assert_eq!(report.profiles_failed, 2, "{report:?}");
    for connected in &connected {
        let now = connection(&app, &user, connected).await;
        assert_eq!(now["status"], "needs_reconnect", "{now:#}");
        assert!(now["status_reason"].as_str().unwrap().starts_with("LinkedIn: "), "{now:#}");
        assert_eq!(face(&now), face(connected));
    }
    // An account waiting to be reconnected is not read.
    let report = tick_after(&app, Duration::days(2)).await;
    assert_eq!(report.profiles_refreshed + report.profiles_failed, 0, "{report:?}");
}

#[tokio::test]
async fn changes_on_the_network_show_up_a_day_later_on_sqlite() {
    changes_on_the_network_show_up_a_day_later(false).await;
}

#[tokio::test]
async fn changes_on_the_network_show_up_a_day_later_on_postgres() {
    changes_on_the_network_show_up_a_day_later(true).await;
}

#[tokio::test]
async fn a_logo_is_read_again_before_its_address_expires_on_sqlite() {
    a_logo_is_read_again_before_its_address_expires(false).await;
}

#[tokio::test]
async fn a_logo_is_read_again_before_its_address_expires_on_postgres() {
    a_logo_is_read_again_before_its_address_expires(true).await;
}

#[tokio::test]
async fn a_failed_read_keeps_the_stored_name_and_logo_on_sqlite() {
    a_failed_read_keeps_the_stored_name_and_logo(false).await;
}

#[tokio::test]
async fn a_failed_read_keeps_the_stored_name_and_logo_on_postgres() {
    a_failed_read_keeps_the_stored_name_and_logo(true).await;
}

#[tokio::test]
async fn a_revoked_token_asks_for_a_reconnect_on_sqlite() {
    a_revoked_token_asks_for_a_reconnect(false).await;
}

#[tokio::test]
async fn a_revoked_token_asks_for_a_reconnect_on_postgres() {
    a_revoked_token_asks_for_a_reconnect(true).await;
}
