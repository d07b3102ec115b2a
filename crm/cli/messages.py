"""Message codes of the crm command (registered with crm.core.messages on import)."""

from crm.core.messages import register
from crm.i18n import N_

CLI: dict[str, str] = {
    # campaigns
    "cli.campaigns.asks_before_issuing": N_(
        "campaigns run asks before it issues vouchers, and cannot ask here (not a terminal): "
        "add --yes"
    ),
    "cli.campaigns.force_hint": N_("{refusal} (--force)"),
    "cli.campaigns.not_answered_yes": N_("Nothing issued: you did not answer yes"),
    # followups
    "cli.followups.nothing_to_change": N_(
        "Nothing to change: give at least one option (see crm followups edit --help)"
    ),
    # common
    "cli.common.asks_before_merges_cannot": N_(
        "{command} asks before it merges, and cannot ask here (not a terminal): add --yes"
        " (crm {command} {args_keep} {args_other} --yes)"
    ),
    "cli.common.database_damaged": N_(
        "The database {describe} is damaged ({damage}), so nothing was written: crm check"
        " lists what is wrong; {hint}"
    ),
    "cli.common.merged_you_did_answer": N_("Not merged: you did not answer yes"),
    # contact_edits
    "cli.contact_edits.date_goes_yes_day": N_("--date goes with --yes (the day they agreed)"),
    "cli.contact_edits.nothing_change_give_least": N_(
        "Nothing to change: give at least one option (see crm contacts edit --help)"
    ),
    "cli.contact_edits.theirs": N_("{name} has no {what} '{text}' (theirs: {theirs})"),
    # contacts
    "cli.contacts.added_same_email_phone": N_(
        "Not added: the same email or phone belongs to contact {parts} (add "
        "--allow-duplicate to add it anyway)"
    ),
    # database
    "cli.database.restore_replaces_everything_database": N_(
        "restore replaces everything in the database with the backup; add --yes to confirm"
    ),
    # duplicates
    "cli.duplicates.contacts_dismissed_pair": N_(
        "Contacts {pair} and {pair_2} are not a dismissed pair"
    ),
    "cli.duplicates.give_either_keep_id": N_(
        "Give either KEEP_ID OTHER_ID or --undo [MERGE_ID], not both"
    ),
    "cli.duplicates.give_keep_id_other": N_(
        "Give KEEP_ID and OTHER_ID (or --undo to take a merge back)"
    ),
    "cli.duplicates.there_merge_undo": N_("There is no merge to undo"),
    # events
    "cli.events.nothing_change_give_least": N_(
        "Nothing to change: give at least one option (see crm events edit --help)"
    ),
    # exporting
    "cli.exporting.alarm_goes_events_dos": N_(
        "--alarm goes with --as-events: to-dos carry no alarm"
    ),
    "cli.exporting.events_alarm_go_ics": N_("--as-events and --alarm go with an ics export"),
    # importing
    "cli.importing.map_preset_csv_files": N_("--map and --preset are for CSV files, not vCards"),
    # organizations
    "cli.organizations.nothing_change_give_least": N_(
        "Nothing to change: give at least one option (see crm organizations edit --help)"
    ),
    # privacy
    "cli.privacy.erasing_contact_removes_their": N_(
        "erasing contact {args_id} removes their identity for good and cannot be undone; "
        "add --yes to confirm"
    ),
    # referrals
    "cli.referrals.nothing_change_give_least": N_(
        "Nothing to change: give at least one option (see crm referrals edit --help)"
    ),
    # settings
    "cli.settings.unknown_setting_known": N_("Unknown setting '{key}'; known: {keys}"),
    # templates
    "cli.templates.cannot_read": N_("Cannot read '{name}': {value}"),
    "cli.templates.utf_8_text": N_("'{name}' is not UTF-8 text"),
    # vouchers
    "cli.vouchers.give_either_friend_id": N_(
        'Give either --friend ID or --new-friend "Given Family"'
    ),
    "cli.vouchers.give_either_holder_id": N_("Give either --holder ID (repeatable) or --top N"),
    "cli.vouchers.per_page_1_4": N_("--per-page must be 1, 4 or 8, not {args_per_page}"),
}

register(CLI)
