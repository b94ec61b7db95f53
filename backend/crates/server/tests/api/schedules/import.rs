//! Scheduling from CSV: rows name their post by the link copied from its card, by its job and
//! channel, or by its id; errors are worded for people and name the spreadsheet row; the
//! template lists the caller's accepted posts ready to be given a date.

use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, sea_query::Query};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{accepted_variant, local_nine};
use crate::common::{ARTICLE, TestApp, TestUser, assert_problem, error_fields};

const CHANNELS: [&str; 4] = ["linkedin", "x", "newsletter", "blog"];

async fn import(app: &TestApp, token: Option<&str>, body: String) -> Response {
    app.request(Method::POST, "/schedule/import", token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A generated job called `name`, with every post accepted when `accept`.
async fn job_called(app: &TestApp, user: &TestUser, name: &str, accept: bool) -> Value {
    let response = app
        .post(
            "/jobs",
            Some(&user.token),
            json!({ "name": name, "source": { "type": "text", "content": ARTICLE }, "channels": CHANNELS }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    let id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let job = app.wait_for_job(user, &id, &["needs_review"]).await;
    if accept {
        for variant in job["variants"].as_array().unwrap() {
            let accepted = app
                .send_json(
                    Method::PUT,
                    &format!("/variants/{}", variant["id"].as_str().unwrap()),
                    Some(&user.token),
                    json!({ "accepted": true, "publish_anyway": true }),
                )
                .await;
            assert_eq!(accepted.status(), StatusCode::OK, "{:?}", accepted.text().await);
        }
    }
    job
}

fn post_id(job: &Value, channel: &str) -> String {
    let variants = job["variants"].as_array().unwrap();
    variants.iter().find(|v| v["channel"] == channel).unwrap()["id"].as_str().unwrap().to_owned()
}

/// The link the console's card copies for a post.
fn link(app: &TestApp, job: &Value, channel: &str) -> String {
    format!(
        "{}/jobs/{}#variant-{}",
        app.state.config.console_url(),
        job["id"].as_str().unwrap(),
        post_id(job, channel)
    )
}

fn messages(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap().to_owned()).collect()
}

async fn schedule_count(app: &TestApp, user: &TestUser) -> usize {
    let list: Value = app.get("/schedule", Some(&user.token)).await.json().await.unwrap();
    list["items"].as_array().unwrap().len()
}

async fn csv_imports_are_all_or_nothing(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let good = local_nine(chrono_tz::UTC, 4);
    let token = Some(user.token.as_str());
    let bad = format!(
        "variant_id,run_at,timezone,recurrence,connector\n{variant_id},{good},UTC,FREQ=WEEKLY,\n{variant_id},{good},Atlantis/Capital,,\nnot-an-id,2020-01-01T09:00,UTC,,\n"
    );
    let problem = assert_problem(import(&app, token, bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    // Rows are numbered as a spreadsheet shows them: the header is row 1.
    assert_eq!(error_fields(&problem), ["rows[3].timezone", "rows[4].variant_id", "rows[4].run_at"]);
    assert!(messages(&problem).iter().all(|message| message.starts_with("Row ")), "{problem}");
    assert_eq!(schedule_count(&app, &user).await, 0, "nothing was scheduled");

    let fine = format!(
        "variant_id,run_at,timezone,recurrence\n{variant_id},{good},UTC,FREQ=WEEKLY\n{variant_id},{good},Asia/Tokyo,\n"
    );
    let as_json = app
        .request(Method::POST, "/schedule/import", token)
        .header("content-type", "application/json")
        .body(fine.clone())
        .send()
        .await
        .unwrap();
    assert_problem(as_json, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert_problem(import(&app, None, fine.clone()).await, StatusCode::UNAUTHORIZED).await;
    let other = app.user().await;
    let problem = assert_problem(
        import(&app, Some(&other.token), fine.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["rows[2].variant_id", "rows[3].variant_id"]);
    let response = import(&app, token, fine).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let result: Value = response.json().await.unwrap();
    assert_eq!((result["created"].as_u64(), result["skipped"].as_u64()), (Some(2), Some(0)));
    assert_eq!(schedule_count(&app, &user).await, 2);
}

async fn a_row_names_its_post_by_job_and_channel_or_by_the_link_from_its_card(app: TestApp) {
    let user = app.user().await;
    let spring = job_called(&app, &user, "Spring launch", true).await;
    let autumn = job_called(&app, &user, "Autumn menu", true).await;
    let berlin = local_nine(chrono_tz::Europe::Berlin, 3);
    let spreadsheet_style = local_nine(chrono_tz::UTC, 5).replace('T', " ");
    let body = format!(
        "job,channel,post,run_at,timezone,recurrence\n\
         \" spring  LAUNCH \",LinkedIn,,{berlin},Europe/Berlin,\n\
         ,,{},{berlin},europe/berlin,\n\
         Autumn menu,Email newsletter,,{spreadsheet_style}:00,UTC,\"FREQ=WEEKLY;BYDAY=TU\"\n\
         Autumn menu,blog,{},{berlin},Europe/Berlin,\n",
        link(&app, &spring, "x"),
        link(&app, &autumn, "blog"),
    );
    let response = import(&app, Some(&user.token), body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["created"], 4);
    let items = result["items"].as_array().unwrap();
    let scheduled: Vec<(&str, &str)> = items
        .iter()
        .map(|item| (item["variant_id"].as_str().unwrap(), item["timezone"].as_str().unwrap()))
        .collect();
    assert_eq!(
        scheduled,
        [
            (post_id(&spring, "linkedin").as_str(), "Europe/Berlin"),
            (post_id(&spring, "x").as_str(), "Europe/Berlin"),
            (post_id(&autumn, "newsletter").as_str(), "UTC"),
            (post_id(&autumn, "blog").as_str(), "Europe/Berlin"),
        ]
    );
    assert_eq!(items[2]["recurrence"], "FREQ=WEEKLY;BYDAY=TU");
}

async fn job_names_resolve_only_among_the_callers_own_jobs_and_only_when_unique(app: TestApp) {
    let user = app.user().await;
    let other = app.user().await;
    let first = job_called(&app, &user, "Launch post", true).await;
    job_called(&app, &user, "launch post", true).await;
    let theirs = job_called(&app, &other, "Their launch", true).await;
    let date = local_nine(chrono_tz::UTC, 3);
    let body = format!(
        "job,channel,post,run_at,timezone\n\
         Launch post,X,,{date},UTC\n\
         Their launch,X,,{date},UTC\n\
         ,,{},{date},UTC\n\
         Launch post,Fax,,{date},UTC\n\
         Launch post,,,{date},UTC\n\
         Other name,LinkedIn,{},{date},UTC\n",
        link(&app, &theirs, "x"),
        link(&app, &first, "x"),
    );
    let problem =
        assert_problem(import(&app, Some(&user.token), body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        error_fields(&problem),
        ["rows[2].job", "rows[3].job", "rows[4].post", "rows[5].channel", "rows[6].channel", "rows[7].post"]
    );
    let said = messages(&problem);
    assert_eq!(said[0], "Row 2: 2 jobs are called “Launch post”; use the post link instead.");
    assert_eq!(said[1], "Row 3: You have no job called “Their launch”.");
    assert_eq!(said[2], "Row 4: None of your posts has this link. Copy the link from the post's card again.");
    assert_eq!(said[3], "Row 5: Unknown channel “Fax” — use LinkedIn, X, Email newsletter or Blog post.");
    assert_eq!(said[4], "Row 6: Add the post's channel: LinkedIn, X, Email newsletter or Blog post.");
    assert!(
        said[5].starts_with("Row 7: The link is to the X post of “Launch post”, but the row says"),
        "{}",
        said[5]
    );
    assert!(
        !problem.to_string().contains(theirs["id"].as_str().unwrap()),
        "nothing of the other account is shown"
    );
    assert_eq!(schedule_count(&app, &user).await, 0);

    // The link tells the two jobs of one name apart.
    let by_link = format!("post,run_at,timezone\n{},{date},UTC\n", link(&app, &first, "x"));
    assert_eq!(import(&app, Some(&user.token), by_link).await.status(), StatusCode::CREATED);
}

async fn row_errors_say_what_to_write_instead(app: TestApp) {
    let user = app.user().await;
    job_called(&app, &user, "Spring launch", true).await;
    job_called(&app, &user, "Draft ideas", false).await;
    let date = local_nine(chrono_tz::UTC, 3);
    let body = format!(
        "job,channel,run_at,timezone,recurrence,connector\n\
         Spring launch,X,22/03/2027 09:00,UTC,,\n\
         Spring launch,X,{date},Berlin,,\n\
         Spring launch,X,{date},Atlantis/Capital,,\n\
         Spring launch,X,{date},UTC,FREQ=SOMETIMES,\n\
         Spring launch,X,2020-01-01 09:00,UTC,,\n\
         Spring launch,X,{date},UTC,,fax\n\
         Spring launch,X,{date},UTC,,webhook\n\
         Draft ideas,X,{date},UTC,,\n\
         Nobody's job,X,{date},UTC,,\n"
    );
    let problem =
        assert_problem(import(&app, Some(&user.token), body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        error_fields(&problem),
        [
            "rows[2].run_at",
            "rows[3].timezone",
            "rows[4].timezone",
            "rows[5].recurrence",
            "rows[6].run_at",
            "rows[7].connector",
            "rows[8].connector",
            "rows[9].job",
            "rows[10].job",
        ]
    );
    assert_eq!(
        messages(&problem),
        [
            "Row 2: Use a date like 2027-03-22 09:00 (not “22/03/2027 09:00”).",
            "Row 3: Unknown time zone “Berlin” — try Europe/Berlin.",
            "Row 4: Unknown time zone “Atlantis/Capital” — try a name like Europe/Berlin.",
            "Row 5: Use a repeat rule like FREQ=WEEKLY;BYDAY=TU, or leave it empty to post once.",
            "Row 6: 2020-01-01 09:00 is in the past. Use a date still to come.",
            "Row 7: Unknown connector “fax” — use file or webhook, or leave it empty for file.",
            "Row 8: Set up your webhook in Settings first, or use the file connector.",
            "Row 9: Accept the X post of “Draft ideas” before scheduling it.",
            "Row 10: You have no job called “Nobody's job”.",
        ]
    );
    for jargon in ["RFC", "IANA", "UUID", "RRULE"] {
        assert!(!problem["errors"].to_string().contains(jargon), "{jargon} in {problem}");
    }
}

async fn the_template_lists_accepted_posts_ready_to_be_given_a_date(app: TestApp) {
    let user = app.user().await;
    assert_problem(app.get("/schedule/import/template", None).await, StatusCode::UNAUTHORIZED).await;
    let risky = job_called(&app, &user, "=HYPERLINK(\"http://evil.example\",\"Spring\")", true).await;
    job_called(&app, &user, "Not reviewed yet", false).await;
    let other = app.user().await;
    job_called(&app, &other, "Their launch", true).await;

    let response = app.get("/schedule/import/template?timezone=europe/berlin", Some(&user.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert_eq!(response.headers()["content-disposition"], "attachment; filename=\"kyros-schedule.csv\"");
    let bytes = response.bytes().await.unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte order mark, for Excel");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["job", "channel", "post", "run_at", "timezone", "recurrence", "connector"]
    );
    let rows: Vec<Vec<String>> =
        reader.records().map(|record| record.unwrap().iter().map(str::to_owned).collect()).collect();
    let job = "'=HYPERLINK(\"http://evil.example\",\"Spring\")";
    let expected: Vec<Vec<String>> =
        [("linkedin", "LinkedIn"), ("x", "X"), ("newsletter", "Email newsletter"), ("blog", "Blog post")]
            .into_iter()
            .map(|(channel, name)| {
                [job, name, &link(&app, &risky, channel), "", "Europe/Berlin", "", ""]
                    .map(str::to_owned)
                    .to_vec()
            })
            .collect();
    assert_eq!(rows, expected, "only the caller's accepted posts, formulas neutralised");
    let utc: String = app.get("/schedule/import/template", Some(&user.token)).await.text().await.unwrap();
    assert!(utc.contains(",,UTC,,\n"), "{utc}");
    let problem = assert_problem(
        app.get("/schedule/import/template?timezone=Berlin", Some(&user.token)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(messages(&problem), ["Unknown time zone “Berlin” — try Europe/Berlin."]);

    // Filled in and sent back as it is, it schedules the rows given a date and skips the rest.
    let date = local_nine(chrono_tz::Europe::Berlin, 2);
    let filled = text.replacen(",,Europe/Berlin", &format!(",{date},Europe/Berlin"), 1);
    let response = import(&app, Some(&user.token), format!("\u{feff}{filled}")).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    let result: Value = response.json().await.unwrap();
    assert_eq!((result["created"].as_u64(), result["skipped"].as_u64()), (Some(1), Some(3)));
    assert_eq!(result["items"][0]["variant_id"], post_id(&risky, "linkedin").as_str());
}

async fn imports_and_templates_are_bounded(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let date = local_nine(chrono_tz::UTC, 3);
    let too_many =
        format!("variant_id,run_at,timezone\n{}", format!("{variant_id},{date},UTC\n").repeat(501));
    let problem =
        assert_problem(import(&app, Some(&user.token), too_many).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(messages(&problem), ["The file has more than 500 rows. Split it into smaller files."]);
    let undated = format!("variant_id,run_at,timezone\n{variant_id},,UTC\n");
    let problem =
        assert_problem(import(&app, Some(&user.token), undated).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(error_fields(&problem), ["body"]);
    assert!(messages(&problem)[0].starts_with("No row has a date in run_at."));

    // 126 jobs of four accepted posts each: the template stops at the import's 500 rows.
    let owner: Uuid = user.id.parse().unwrap();
    let now = chrono::Utc::now();
    let job_ids: Vec<Uuid> = (0..126).map(|_| Uuid::now_v7()).collect();
    // Written straight to the tables: making 504 posts through the API would take minutes.
    let mut jobs = Query::insert()
        .into_table("jobs")
        .columns([
            "id",
            "owner_id",
            "name",
            "channels",
            "status",
            "attempts",
            "created_at",
            "updated_at",
            "ready_at",
        ])
        .to_owned();
    for &id in &job_ids {
        jobs.values_panic([
            id.into(),
            owner.into(),
            format!("Bulk {id}").into(),
            json!(CHANNELS).into(),
            "done".into(),
            1.into(),
            now.into(),
            now.into(),
            now.into(),
        ]);
    }
    app.db.execute(&jobs).await.unwrap();
    let mut variants = Query::insert()
        .into_table("variants")
        .columns([
            "id",
            "job_id",
            "channel",
            "content",
            "metadata",
            "accepted",
            "created_at",
            "updated_at",
            "accepted_at",
            "current_version",
            "accepted_version",
        ])
        .to_owned();
    for &job_id in &job_ids {
        for channel in CHANNELS {
            variants.values_panic([
                Uuid::now_v7().into(),
                job_id.into(),
                channel.into(),
                "A post.".into(),
                json!({}).into(),
                true.into(),
                now.into(),
                now.into(),
                now.into(),
                1.into(),
                1.into(),
            ]);
        }
    }
    app.db.execute(&variants).await.unwrap();
    let template = app.get("/schedule/import/template", Some(&user.token)).await.text().await.unwrap();
    assert_eq!(template.lines().count(), 1 + 500);
}

crate::on_both_databases!(
    csv_imports_are_all_or_nothing,
    a_row_names_its_post_by_job_and_channel_or_by_the_link_from_its_card,
    job_names_resolve_only_among_the_callers_own_jobs_and_only_when_unique,
    row_errors_say_what_to_write_instead,
    the_template_lists_accepted_posts_ready_to_be_given_a_date,
    imports_and_templates_are_bounded,
);
