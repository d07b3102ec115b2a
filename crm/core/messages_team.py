"""Message codes of crm/core's mail, postal, campaign and team modules (see crm.core.messages)."""

from crm.i18n import N_

TEAM: dict[str, str] = {
    # birthdays
    "birthdays.contact_birthday_greet": N_("Contact #{id} has no birthday to greet"),
    "birthdays.contact_not_found": N_("No contact with id {contact_id}"),
    "birthdays.days_ahead_between_0": N_("Days ahead must be between 0 and {most}, not {days}"),
    # campaign_runs
    "campaign_runs.already_issued": N_(
        "Campaign '{name}' already issued batch '{batch}' for {period} on {day}: one batch a "
        "period, unless you force a second one"
    ),
    "campaign_runs.nobody": N_(
        "No client has a won referral in the last 12 months, so campaign '{name}' has nobody "
        "to give vouchers to this time"
    ),
    "campaign_runs.nobody_with_consent": N_(
        "No client with marketing consent has a won referral in the last 12 months, so "
        "campaign '{name}' has nobody to give vouchers to this time"
    ),
    "campaign_runs.paused": N_("Campaign '{name}' is paused: make it active to issue its batch"),
    # campaigns
    "campaigns.campaign_name_longer_than": N_(
        "The campaign name is longer than {limit} characters"
    ),
    "campaigns.campaign_named_exists_already": N_(
        "A campaign named '{name}' exists already: choose another name"
    ),
    "campaigns.every_refused": N_("A campaign runs every quarter, month or year, not '{every}'"),
    "campaigns.name_campaign_such_best": N_(
        "Name the campaign, such as Best clients: the name is empty"
    ),
    "campaigns.name_dot": N_(
        "The campaign name '{text}' cannot start with a dot or contain '..' (it becomes part "
        "of file names)"
    ),
    "campaigns.name_invisible": N_(
        "The campaign name contains an invisible control character (U+{codepoint:04X}): use "
        "letters, digits, spaces and dashes, such as 2026-Q4"
    ),
    "campaigns.name_slash": N_(
        "The campaign name '{text}' cannot contain / or \\ (it becomes part of file names)"
    ),
    "campaigns.no_such_field": N_("A campaign has no field {names}"),
    "campaigns.not_a_whole_number": N_("{what} must be a whole number, not '{value}'"),
    "campaigns.not_found_among": N_("No campaign named '{name}'; campaigns: {names}"),
    "campaigns.not_found_none_yet": N_(
        "No campaign named '{name}'; there is no campaign yet (crm campaigns add)"
    ),
    "campaigns.number_out_of_range": N_("{what} must be from {low:,} to {high:,}, not {number:,}"),
    # change_watch
    "change_watch.needs_psycopg": N_(
        "Watching a team database needs psycopg: pip install 'passaparola[team]'"
    ),
    # followup_edits
    "followup_edits.give_day_due": N_("Give the day it is due"),
    "followup_edits.kind_must_be_one_of": N_("Kind must be one of {kinds}, not '{kind}'"),
    "followup_edits.unknown_follow_up_field": N_("Unknown follow-up field(s): {names}"),
    "followup_edits.write_what_do_title": N_("Write what to do: the title is empty"),
    # mail_server
    "mail_server.keyring_refused": N_("The system keyring refused the password: {error}"),
    "mail_server.keyring_unreadable": N_("The system keyring could not be read: {error}"),
    "mail_server.mail_server_set_up": N_(
        "No mail server is set up: set smtp.host (and smtp.port, smtp.security, smtp.user, "
        "smtp.from) in the settings, or write drafts with --drafts DIR"
    ),
    "mail_server.sender_address_set_smtp": N_(
        "No sender address: set smtp.from or the profile's e-mail"
    ),
    "mail_server.set_mail_server_smtp": N_(
        "Set the mail server (smtp.host) and user (smtp.user) before its password"
    ),
    # postal
    "postal.batch_not_found_among": N_("No batch named '{name}'; batches: {names}"),
    "postal.batch_not_found_none_yet": N_("No batch named '{name}'; no vouchers are issued yet"),
    "postal.choose_source_pending_letters": N_(
        "Choose one source: the pending letters, a voucher batch, an event or contacts"
    ),
    "postal.contact_not_found": N_("No contact with id {contact_id}"),
    # settings
    "settings.sender_address_valid": N_("The sender address '{text}' is not valid: {error}"),
    "settings.spaces_too_long": N_("{what} '{text}' has spaces or is too long"),
    # team_db
    "team_db.address_contain_spaces": N_("The address cannot contain spaces"),
    "team_db.address_names_database_add": N_(
        "The address names no database: add /dbname after the server"
    ),
    "team_db.address_names_database_after": N_(
        "The address names one database after the server, not '{name}'"
    ),
    "team_db.address_names_server_after": N_("The address names no server after postgresql://"),
    "team_db.cannot_connect": N_("Cannot connect to {where}: {first}"),
    "team_db.host_not_allowed": N_(
        "The server at {where} does not let '{user}' in from this computer"
    ),
    "team_db.no_server_answers": N_(
        "No PostgreSQL server answers at {where}: is it running, and is that the right port?"
    ),
    "team_db.no_such_database": N_("The server at {where} has no database called '{name}'"),
    "team_db.no_such_host": N_("There is no server called '{host}': check the name"),
    "team_db.no_such_user": N_("The server at {where} knows no user called '{user}'"),
    "team_db.password_refused": N_("The server at {where} refused the password of '{user}'"),
    "team_db.port_after_server_s": N_(
        "The port after the server's name must be a number from 1 to 65535, not '{port}'"
    ),
    "team_db.port_after_server_s_2": N_(
        "The port after the server's name must be a number from 1 to 65535, not '{raw}'"
    ),
    "team_db.team_database_address_starts": N_("A team database address starts with postgresql://"),
    "team_db.team_database_needs_postgresql": N_(
        "A team database needs the PostgreSQL driver: pip install 'passaparola[team]'"
    ),
    "team_db.timed_out": N_("The server at {where} did not answer within {seconds} seconds"),
    "team_db.type_address_team_database": N_("Type the address of the team database"),
    # users
    "users.user_name_empty": N_("A user name cannot be empty"),
    "users.user_name_hold_control": N_("A user name cannot hold control characters"),
    "users.user_name_most_characters": N_("A user name has at most {n} characters, not {length}"),
    # versions
    "versions.conflict": N_(
        "{summary}, after you read it (it is now at version {version}): your changes were not saved"
    ),
    "versions.contact_not_found": N_("No contact with id {contact_id}"),
    "versions.followup_not_found": N_("No follow-up with id {followup_id}"),
    "versions.referral_not_found": N_("No referral with id {referral_id}"),
}
