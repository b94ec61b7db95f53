//! How a row names its post: by the link copied from the post's card (`post`), by its id
//! (`variant_id`), or by its job's name and its channel.

use engine::Channel;
use uuid::Uuid;

use super::csv::{PostCells, uninert};

/// A row's post as named, before it is looked up among the owner's posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRef {
    /// The id the row gives, and the column it came from (`post` or `variant_id`).
    pub id: Option<(Uuid, &'static str)>,
    /// The job's name as written.
    pub job: Option<String>,
    pub channel: Option<Channel>,
}

/// Why a row's cells name no post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unnamed {
    /// The `post` cell holds no post id.
    NotALink(String),
    /// The `variant_id` cell is not an id.
    NotAnId(String),
    UnknownChannel(String),
    /// A job is named without a channel (and no link says which post).
    NoChannel,
    /// A channel is named without a job.
    NoJob,
    /// No cell names a post.
    Nothing,
}

impl Unnamed {
    /// The column the problem is in.
    pub fn column(&self) -> &'static str {
        match self {
            Self::NotALink(_) | Self::Nothing => "post",
            Self::NotAnId(_) => "variant_id",
            Self::UnknownChannel(_) | Self::NoChannel => "channel",
            Self::NoJob => "job",
        }
    }
}

/// Reads the cells that name a row's post. A link (or id) wins; a job and channel beside it
/// must then agree with it, which the lookup checks.
pub fn read(cells: &PostCells) -> Result<PostRef, Unnamed> {
    let channel = cells
        .channel
        .as_deref()
        .map(|name| channel_named(name).ok_or_else(|| Unnamed::UnknownChannel(name.to_owned())))
        .transpose()?;
    let job =
        cells.job.as_deref().map(|name| uninert(name).trim().to_owned()).filter(|name| !name.is_empty());
    let id = if let Some(link) = &cells.link {
        Some((last_id(link).ok_or_else(|| Unnamed::NotALink(link.clone()))?, "post"))
    } else if let Some(id) = &cells.variant_id {
        Some((id.parse().map_err(|_| Unnamed::NotAnId(id.clone()))?, "variant_id"))
    } else {
        None
    };
    match (id, &job, channel) {
        (Some(_), _, _) | (None, Some(_), Some(_)) => Ok(PostRef { id, job, channel }),
        (None, Some(_), None) => Err(Unnamed::NoChannel),
        (None, None, Some(_)) => Err(Unnamed::NoJob),
        (None, None, None) => Err(Unnamed::Nothing),
    }
}

/// A channel by its name in the API (`linkedin`) or as people write it (`LinkedIn`,
/// `Email newsletter`), in any case.
pub fn channel_named(name: &str) -> Option<Channel> {
    let name = name.trim();
    Channel::ALL.into_iter().find(|channel| {
        channel.as_str().eq_ignore_ascii_case(name) || channel.display_name().eq_ignore_ascii_case(name)
    })
}

/// The last id in a link: the console's links end with the post's
/// (`https://…/jobs/<job>#variant-<post>`), and a bare id is its own link.
pub fn last_id(link: &str) -> Option<Uuid> {
    const LEN: usize = 36;
    let bytes = link.as_bytes();
    let clear = |at: Option<&u8>| at.is_none_or(|byte| !byte.is_ascii_hexdigit());
    (0..=bytes.len().checked_sub(LEN)?).rev().find_map(|start| {
        let window = &bytes[start..start + LEN];
        let shaped = [8, 13, 18, 23].iter().all(|&at| window[at] == b'-');
        let alone =
            clear(start.checked_sub(1).and_then(|before| bytes.get(before))) && clear(bytes.get(start + LEN));
        if !(shaped && alone) {
            return None;
        }
        std::str::from_utf8(window).ok()?.parse().ok()
    })
}

/// How job names are compared: in any case, with runs of spaces as one.
pub fn job_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(
        link: Option<&str>,
        variant_id: Option<&str>,
        job: Option<&str>,
        channel: Option<&str>,
    ) -> PostCells {
        PostCells {
            link: link.map(str::to_owned),
            variant_id: variant_id.map(str::to_owned),
            job: job.map(str::to_owned),
            channel: channel.map(str::to_owned),
        }
    }

    #[test]
    fn the_last_id_of_a_link_names_the_post() {
        let job = Uuid::now_v7();
        let post = Uuid::now_v7();
        for link in [
            format!("https://app.example.com/jobs/{job}#variant-{post}"),
            format!("/jobs/{job}#variant-{post}"),
            format!("http://localhost:3001/jobs/{job}?tab=posts#variant-{}", post.to_string().to_uppercase()),
            post.to_string(),
            format!("{job}/{post}/"),
        ] {
            assert_eq!(last_id(&link), Some(post), "{link}");
        }
        assert_eq!(last_id(&format!("https://app.example.com/jobs/{job}")), Some(job));
        assert_eq!(last_id("https://app.example.com/jobs"), None);
        assert_eq!(last_id(&format!("a{post}")), None, "part of a longer hex run");
        assert_eq!(last_id(&post.simple().to_string()), None, "only the hyphenated form");
        assert_eq!(last_id("é".repeat(40).as_str()), None);
    }

    #[test]
    fn channels_are_named_as_the_api_or_people_write_them() {
        for (name, channel) in [
            ("linkedin", Channel::Linkedin),
            ("LinkedIn", Channel::Linkedin),
            (" x ", Channel::X),
            ("Email newsletter", Channel::Newsletter),
            ("Newsletter", Channel::Newsletter),
            ("blog post", Channel::Blog),
            ("BLOG", Channel::Blog),
        ] {
            assert_eq!(channel_named(name), Some(channel), "{name}");
        }
        assert_eq!(channel_named("Fax"), None);
    }

    #[test]
    fn a_link_wins_and_a_job_needs_a_channel() {
        let post = Uuid::now_v7();
        let link = format!("/jobs/x#variant-{post}");
        let named = read(&cells(Some(&link), Some("ignored"), Some(" Spring  launch "), Some("X"))).unwrap();
        assert_eq!(named.id, Some((post, "post")));
        assert_eq!(named.job.as_deref(), Some("Spring  launch"));
        assert_eq!(named.channel, Some(Channel::X));
        let by_id = read(&cells(None, Some(&post.to_string()), None, None)).unwrap();
        assert_eq!(by_id.id, Some((post, "variant_id")));
        let by_name = read(&cells(None, None, Some("'=Launch"), Some("blog"))).unwrap();
        assert_eq!((by_name.job.as_deref(), by_name.channel), (Some("=Launch"), Some(Channel::Blog)));

        assert_eq!(read(&cells(Some("nope"), None, None, None)), Err(Unnamed::NotALink("nope".into())));
        assert_eq!(read(&cells(None, Some("abc"), None, None)), Err(Unnamed::NotAnId("abc".into())));
        assert_eq!(
            read(&cells(None, None, Some("Launch"), Some("Fax"))),
            Err(Unnamed::UnknownChannel("Fax".into()))
        );
        assert_eq!(read(&cells(None, None, Some("Launch"), None)), Err(Unnamed::NoChannel));
        assert_eq!(read(&cells(None, None, None, Some("x"))), Err(Unnamed::NoJob));
        assert_eq!(read(&PostCells::default()), Err(Unnamed::Nothing));
        assert_eq!(Unnamed::NoChannel.column(), "channel");
    }

    #[test]
    fn job_names_compare_in_any_case_and_spacing() {
        assert_eq!(job_key("  Spring   LAUNCH "), job_key("spring launch"));
        assert_eq!(job_key("Café Übersicht"), "café übersicht");
        assert_ne!(job_key("Spring launch"), job_key("Spring launch 2"));
    }
}
