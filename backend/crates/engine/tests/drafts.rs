//! Drafts that read like posts: sources shaped the way marketers paste them (headings, bylines,
//! lead-ins with lists, captions, thanks, transcripts, other languages) give drafts without
//! the lines that cannot stand alone, drawn from the whole piece, in the source's language.

use engine::{Channel, GenerationOptions, Severity, Variant, XFormat, repurpose};

const POST: &str = "# How Rye & Crumb cut food waste by a third\n\n\
By Ada Baker\n\n\
Rye & Crumb bakes bread for eleven neighbourhood shops across the city every morning. \
Last spring the bakery threw away almost a fifth of every batch it baked.\n\n\
![The bakery's back room](oven.jpg)\n\n\
The photo below shows the back room where the leftover loaves used to pile up.\n\n\
## Measuring the waste first\n\n\
There are three reasons the waste grew:\n\n\
- Orders arrived too late for the bakers to plan each batch properly.\n\
- Shops returned unsold loaves at the end of every single day.\n\n\
However, the bakers started weighing every returned loaf in April. \
It took them ten minutes a day and showed which shops over-ordered.\n\n\
## Baking to order\n\n\
The bakery moved its order deadline from six in the morning to six the evening before. \
Bakers now plan each batch the night before from the confirmed orders. \
Returned loaves fell from forty a day to twelve within two months.\n\n\
## Giving the rest away\n\n\
Unsold bread now goes to two food banks in the city every evening. \
The food banks collect it with their own van at closing time.\n\n\
## What changed for the team\n\n\
The bakers start an hour later because the night shift plans the batches. \
Staff turnover fell, and the bakery hired two apprentices this year.\n\n\
## Results\n\n\
Food waste fell by a third in six months, and flour costs fell by twelve percent. \
The bakery now plans to share its ordering sheet with other small bakeries.\n\n\
Thanks to the team at the city food bank for their help with this story.";

fn drafts(source: &str, options: &GenerationOptions) -> Vec<Variant> {
    repurpose(source, &Channel::ALL, options).expect("repurpose")
}

fn quality_findings(variant: &Variant) -> Vec<String> {
    variant
        .metadata
        .lint
        .iter()
        .filter(|finding| finding.rule.starts_with("quality."))
        .map(|finding| finding.message.clone())
        .collect()
}

#[test]
fn lines_that_cannot_stand_alone_never_reach_a_draft() {
    for variant in drafts(POST, &GenerationOptions::default()) {
        let content = &variant.content;
        for line in [
            "By Ada Baker",
            "photo below",
            "three reasons the waste grew:",
            "It took them",
            "Thanks to the team",
            "oven.jpg",
            "However,",
        ] {
            assert!(!content.contains(line), "{}: `{line}` in\n{content}", variant.channel);
        }
        assert!(
            quality_findings(&variant).is_empty(),
            "{}: {:?}",
            variant.channel,
            quality_findings(&variant)
        );
    }
}

#[test]
fn a_leading_connective_is_dropped_and_the_sentence_stays_grounded() {
    let blog = &drafts(POST, &GenerationOptions::default())[3];
    let repaired = blog
        .metadata
        .grounding
        .iter()
        .find(|entry| entry.text == "The bakers started weighing every returned loaf in April.")
        .unwrap_or_else(|| panic!("the repaired sentence is in the blog:\n{}", blog.content));
    let [start, end] = repaired.spans[0];
    assert_eq!(&POST[start..end], "the bakers started weighing every returned loaf in April.");
}

#[test]
fn the_blog_follows_the_source_sections_and_concludes_from_its_last() {
    let blog = &drafts(POST, &GenerationOptions::default())[3];
    let headings: Vec<&str> = blog.content.lines().filter_map(|line| line.strip_prefix("## ")).collect();
    assert!(headings.len() >= 3, "{}", blog.content);
    for heading in &headings[..headings.len() - 1] {
        assert!(POST.contains(&format!("## {heading}")), "`{heading}` is a heading of the source");
    }
    assert_eq!(headings.last(), Some(&"Conclusion"));
    let conclusion = blog.content.split("## Conclusion").nth(1).unwrap();
    let last_section = POST.split("## Results").nth(1).unwrap();
    let closing = conclusion.trim().split(". ").next().unwrap();
    assert!(last_section.contains(closing), "`{closing}` comes from the last section");
    assert_eq!(blog.metadata.fields.title.as_deref(), Some("How Rye & Crumb cut food waste by a third"));
}

#[test]
fn social_drafts_draw_on_the_whole_piece_not_just_its_lead() {
    let options = GenerationOptions::default();
    for variant in
        drafts(POST, &options).iter().filter(|v| matches!(v.channel, Channel::Linkedin | Channel::X))
    {
        let starts: Vec<usize> = variant.metadata.grounding.iter().map(|entry| entry.spans[0][0]).collect();
        let in_lead = starts.iter().filter(|&&start| start < POST.len() / 5).count();
        assert!(
            in_lead * 2 <= starts.len(),
            "{}: {in_lead} of {} from the lead",
            variant.channel,
            starts.len()
        );
        let sections = POST.match_indices("\n## ").count();
        let reached = POST
            .match_indices("\n## ")
            .map(|(at, _)| at)
            .zip(POST.match_indices("\n## ").map(|(at, _)| at).skip(1).chain([POST.len()]))
            .filter(|(from, to)| starts.iter().any(|start| (from..to).contains(&start)))
            .count();
        assert!(reached * 2 >= sections, "{}: {reached} of {sections} sections", variant.channel);
    }
}

#[test]
fn no_thread_part_is_only_a_call_to_action_or_hashtags() {
    let options = GenerationOptions { x_format: XFormat::Thread, ..GenerationOptions::default() };
    let x = repurpose(POST, &[Channel::X], &options).unwrap().remove(0);
    let parts = x.metadata.fields.parts.as_ref().unwrap();
    assert!(parts.len() > 2, "{}", x.content);
    for text in parts {
        let words = text.split_whitespace().filter(|w| !w.starts_with('#') && !w.contains('/')).count();
        assert!(words >= 6, "`{text}` carries content");
    }
}

#[test]
fn a_single_post_takes_the_best_sentence_that_fits() {
    let long_lead = format!(
        "# Launch\n\n{} \
         Our new planner cuts weekly scheduling time in half for small teams. \
         It works offline and syncs when the connection returns. \
         Teams of up to twenty people can use it for free this year.",
        "Our new planner, which we built over two years with the help of forty small teams in six countries who tested every version, and which replaces the spreadsheets, whiteboards and paper calendars most of them relied on until now, is finally here for everyone who plans shifts."
    );
    let options =
        GenerationOptions { x_format: XFormat::Single, hashtags: false, ..GenerationOptions::default() };
    let x = repurpose(&long_lead, &[Channel::X], &options).unwrap().remove(0);
    assert!(x.content.contains("cuts weekly scheduling time in half"), "{}", x.content);
    assert!(!x.content.ends_with('…'), "whole sentences only: {}", x.content);
    assert!(x.metadata.lint.iter().all(|f| f.severity != Severity::Error));
}

const TRANSCRIPT: &str = "Jo Host: Welcome to the show, everyone, and thanks for joining us again this week.\n\n\
Sam Guest: Thanks for having me, it is really great to be here with you today.\n\n\
Jo Host: So tell us how the bakery started and what made you open it in the first place.\n\n\
Sam Guest: We opened the bakery in 2019 with two ovens and a single delivery bike for the whole city. \
By the second year we were baking for eleven shops, and the waste was eating our margins every week.\n\n\
Jo Host: Yeah, right.\n\n\
Sam Guest: We moved the order deadline to the evening before, and returned loaves fell from forty a day to twelve. \
The food banks now collect whatever is left with their own van at closing time every evening.\n\n\
Jo Host: That is a great story to end on, thank you so much for coming on the show today.";

#[test]
fn a_transcript_quotes_its_guest_with_attribution_and_skips_the_small_talk() {
    for variant in drafts(TRANSCRIPT, &GenerationOptions::default()) {
        let content = &variant.content;
        assert!(content.contains("— Sam Guest"), "{}: {content}", variant.channel);
        for aside in ["Welcome to the show", "Thanks for having me", "Yeah, right", "Sam Guest:", "Jo Host:"]
        {
            assert!(!content.contains(aside), "{}: `{aside}` in\n{content}", variant.channel);
        }
        if variant.channel == Channel::X {
            // Two sentences of one turn in one part are one quote, attributed once.
            let parts = variant.metadata.fields.parts.as_ref().unwrap();
            assert!(
                parts.iter().any(|p| p.matches('“').count() == 1 && p.matches(". ").count() >= 1),
                "{content}"
            );
            for part in parts {
                assert!(part.matches("— Sam Guest").count() <= 1, "{content}");
            }
        }
        if variant.channel == Channel::Blog {
            // No speaker's name, nor a lone name, heads a section of a conversation.
            for heading in content.lines().filter_map(|l| l.strip_prefix("## ")) {
                assert!(!heading.contains("Sam") && !heading.contains("Jo "), "{heading} in\n{content}");
            }
        }
    }
}

const GERMAN: &str = "# Die neue Registry ist da\n\n\
Am 3. April 2023 wird die alte Container-Registry eingefroren und es werden keine weiteren Images dorthin gepusht. \
Die neue Registry ist bereits seit einigen Monaten verfügbar und ersetzt die alte vollständig.\n\n\
## Was bedeutet das für Betreiber\n\n\
Betreiber von Clustern sollten ihre Manifeste und Helm-Charts auf die neue Registry umstellen. \
Aber die Umstellung dauert für die meisten Cluster nur wenige Minuten und kann schrittweise erfolgen.\n\n\
## Was bedeutet das für Entwickler\n\n\
Entwickler finden alle Images unter dem gleichen Namen in der neuen Registry wieder. \
Die alte Registry bleibt lesbar, bekommt aber keine neuen Versionen mehr.\n\n\
## Zeitplan\n\n\
Die Registry wird am 3. April 2023 eingefroren, und das Release 1.27 erscheint nur in der neuen Registry.";

#[test]
fn a_german_post_gets_german_scaffolding_and_keeps_its_ordinals() {
    for variant in drafts(GERMAN, &GenerationOptions::default()) {
        let content = &variant.content;
        for english in [
            "What is your experience",
            "Reply to this email",
            "What do you think",
            "Key points",
            "## Conclusion",
        ] {
            assert!(!content.contains(english), "{}: `{english}` in\n{content}", variant.channel);
        }
        assert!(
            !content.contains("\nApril 2023"),
            "{}: the ordinal split a sentence:\n{content}",
            variant.channel
        );
        for tag in &variant.metadata.fields.hashtags {
            let tag = tag.to_lowercase();
            assert!(!["#die", "#das", "#und", "#der", "#alte", "#neue"].contains(&tag.as_str()), "{tag}");
        }
    }
    let blog = &drafts(GERMAN, &GenerationOptions::default())[3];
    assert!(blog.content.contains("## Fazit"), "{}", blog.content);
}

#[test]
fn a_language_without_known_function_words_gets_no_hashtags_rather_than_wrong_ones() {
    let polish = "# Nowa piekarnia w mieście\n\n\
        Piekarnia Żytnia otworzyła w marcu drugi lokal przy głównym placu miasta. \
        Właściciele zatrudnili sześciu nowych piekarzy i kupili dwa nowe piece. \
        Chleb na zakwasie jest teraz dostępny codziennie od siódmej rano. \
        W soboty piekarnia organizuje warsztaty pieczenia dla dzieci i dorosłych. \
        Ceny pozostały takie same jak w pierwszym lokalu.";
    for variant in drafts(polish, &GenerationOptions::default()) {
        assert!(variant.metadata.fields.hashtags.is_empty(), "{}", variant.channel);
        assert!(
            !variant.content.contains('#') || variant.channel != Channel::Linkedin,
            "{}",
            variant.content
        );
    }
}
