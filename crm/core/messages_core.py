"""Message codes of crm/core: ``code -> English template`` (see crm.core.messages)."""

from crm.i18n import N_

CORE: dict[str, str] = {
    # amounts
    "amounts.not_a_number": N_("{what} '{text}' is not an amount of money"),
    "amounts.ambiguous": N_(
        "{what} '{text}' can be read more than one way: group the thousands by three and "
        "put the decimals after '{decimal}', such as {example}"
    ),
    "amounts.too_many_decimals": N_(
        "{what} '{text}' has more than two decimals: put the decimals after '{decimal}' and "
        "group the thousands by three, such as {example}"
    ),
    "amounts.negative": N_("{what} {amount} is negative"),
    "amounts.too_large": N_("{what} {amount} is too large"),
    # asking
    "asking.asked_referrals_cooldown_days": N_(
        "{contact_display_name} was asked for referrals on {status_last_asked} ({ago}); "
        "the cooldown is {status_cooldown_days} days, so wait until {status_ok_from} or "
        "force it"
    ),
    # backups
    "backups.backup_did_verify": N_("The backup did not verify: {ok}"),
    "backups.no_backup_file": N_("No backup file at '{source}'"),
    "backups.backup_file_cannot_database": N_("The backup file cannot be the database itself"),
    "backups.cannot_restore_database_itself": N_("Cannot restore the database from itself"),
    "backups.damaged": N_("'{source}' is damaged: {ok}"),
    "backups.folder_give_backup_file": N_("'{target}' is a folder: give the backup a file name"),
    "backups.passaparola_backup": N_("'{source}' is not a Passaparola backup: {exc}"),
    "backups.passaparola_backup_schema_version": N_(
        "'{source}' is not a Passaparola backup (no schema version)"
    ),
    "backups.sqlite_database": N_("'{source}' is not a SQLite database"),
    "backups.works_sqlite_database_server": N_(
        "{what} works on a SQLite database; for a server use its own tools (pg_dump)"
    ),
    "backups.written_newer_passaparola_schema": N_(
        "'{source}' was written by a newer Passaparola (schema version {version}; this "
        "app knows up to {db_schema_version})"
    ),
    # codes
    "codes.characters_never_used": N_(
        "The code '{shown}' contains {listed}, which voucher codes never use: codes have no "
        "O, 0, I, 1 or L; check the printed code (O may be D or Q, 1 or I may be 7, J or T)"
    ),
    "codes.characters_not_in_alphabet": N_(
        "The code '{shown}' contains {listed}, which voucher codes never use; "
        "they use only {alphabet}"
    ),
    "codes.code_characters_after_prefix": N_(
        "The code '{shown}' has {compact_count} characters after the {prefix} prefix; a "
        "voucher code has {length}, such as {example}"
    ),
    "codes.code_typo_check_character": N_(
        "The code '{typed}' has a typo: its check character does not match. Check each "
        "character against the printed voucher"
    ),
    "codes.type_voucher_code_empty": N_("Type the voucher code: it is empty"),
    # contact_fields
    "contact_fields.birthday_before_1900": N_("Birthday {day} is before 1900"),
    "contact_fields.birthday_date_use_yyyy": N_(
        "Birthday '{text}' is not a date: use YYYY-MM-DD, or --MM-DD without the year"
    ),
    "contact_fields.birthday_future": N_("Birthday {day} is in the future"),
    "contact_fields.consent_date_future": N_("The consent date is in the future"),
    "contact_fields.contact_needs_given_family": N_("A contact needs a given or a family name"),
    "contact_fields.country_two_letter_iso": N_(
        "Country '{value}' is not a two-letter ISO country code"
    ),
    "contact_fields.email_valid": N_("Email '{text}' is not valid: {exc}"),
    "contact_fields.name_made_only_invisible": N_(
        "The name is made only of invisible characters: type a given or a family name"
    ),
    "contact_fields.stay_touch_cadence_1": N_("The stay-in-touch cadence must be 1 to 3650 days"),
    "contact_fields.tag_longer_80_characters": N_("Tag '{name}…' is longer than 80 characters"),
    # contact_table
    "contact_table.unknown_choice": N_("{what} must be one of {allowed}, not '{value}'"),
    "contact_table.unknown_order": N_("Order must be one of {table_orders}, not '{order}'"),
    # contacts
    "contacts.already_in_state": N_("{contact_display_name} is already {state}"),
    "contacts.contact_not_found": N_("No contact with id {contact_id}"),
    "contacts.unknown_contact_field": N_("Unknown contact field(s): {unknown}"),
    # db
    "db.cannot_open_server": N_(
        "Cannot open {describe}: {exc}. Check that the PostgreSQL server is running and the "
        "URL is right."
    ),
    "db.database_url_names_file": N_("The database URL '{text}' names no file"),
    "db.folder_database_file": N_("'{path}' is a folder, not a database file"),
    "db.passaparola_database_sqlite": N_(
        "'{where_path}' is not a Passaparola database (not SQLite)"
    ),
    "db.regular_file_device_pipe": N_(
        "'{path}' is not a regular file (a device or a pipe), so it cannot be a database"
    ),
    "db.there_database_check_db": N_("There is no database at '{path}': check the --db path"),
    "db.unsupported_database_url_scheme": N_(
        "Unsupported database URL scheme '{scheme}': use a file path, sqlite:///path or "
        "postgresql://user@host/dbname"
    ),
    # db_problems
    "db_problems.busy": N_(
        "The database {where} is busy: another program is writing to it and did not finish "
        "within {seconds:g} s. Try again when it is done; nothing was changed."
    ),
    "db_problems.readonly": N_(
        "The database {where} is read-only (the file or its folder cannot be written); "
        "nothing was changed. Check its permissions, or copy it somewhere writable."
    ),
    "db_problems.full": N_(
        "The disk holding {where} is full; nothing was changed. Free some space and try again."
    ),
    "db_problems.ioerr": N_(
        "The disk could not read or write {where} (a disk I/O error: full, removed or "
        "failing?); nothing was changed."
    ),
    "db_problems.corrupt": N_(
        "The database {where} is damaged: crm check lists what is wrong; {hint}"
    ),
    "db_problems.notadb": N_("'{where}' is not a Passaparola database (not SQLite, or damaged)"),
    "db_problems.cantopen": N_(
        "Cannot open the database {where}: the file or its folder cannot be opened (missing, "
        "or not readable and writable)"
    ),
    # demo
    "demo.database_already_holds_contacts": N_(
        "The database already holds {existing:,} contacts; demo data goes into an empty database"
    ),
    "demo.demo_data_generation_cancelled": N_(
        "Demo data generation was cancelled; the database was not changed"
    ),
    "demo.number_demo_contacts_between": N_(
        "The number of demo contacts must be between 1 and {max_contacts:,}, not {contacts:,}"
    ),
    "demo.number_demo_contacts_whole": N_(
        "The number of demo contacts must be a whole number, not {contacts!r}"
    ),
    # duplicates
    "duplicates.contact_cannot_duplicate_itself": N_("A contact cannot be a duplicate of itself"),
    "duplicates.contact_not_found": N_("No contact with id {missing}"),
    "duplicates.duplicate_search_cancelled": N_("The duplicate search was cancelled"),
    "duplicates.number_pairs_1_more": N_("The number of pairs must be 1 or more, not {limit}"),
    # erasure
    "erasure.contact_already_erased": N_("Contact #{contact_id} was already erased on {as_date}"),
    # events
    "events.already_on_list": N_("{contact_display_name} is already on the list of {event_title}"),
    "events.contact_list_event": N_("Contact {contact_id} is not on the list of event {event_id}"),
    "events.date_date_use_yyyy": N_(
        "Date '{text}' is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM"
    ),
    "events.event_not_found": N_("No event with id {event_id}"),
    "events.unknown_event_kind": N_("Event kind must be one of {event_kinds}, not '{kind}'"),
    "events.event_needs_title": N_("An event needs a title"),
    "events.not_on_list": N_("{contact_display_name} is not on the list of {event_title}"),
    "events.unknown_period": N_("Period must be one of {periods}, not '{period}'"),
    "events.unknown_role": N_("Role must be one of {attendance_roles}, not '{role}'"),
    "events.unknown_sort": N_("Sort by one of {event_sort_keys}, not '{sort}'"),
    "events.type_person_name": N_("Type the person's name"),
    "events.unknown_event_field": N_("Unknown event field(s): {unknown}"),
    # files
    "files.cannot_read": N_("Cannot read '{where}': {value}"),
    "files.cannot_read_folder": N_("Cannot read '{where}': it is a folder"),
    "files.cannot_read_ordinary_file": N_(
        "Cannot read '{where}': it is not an ordinary file (a device, a pipe or a socket)"
    ),
    "files.cannot_read_there_such": N_("Cannot read '{where}': there is no such file"),
    "files.cannot_write": N_("Cannot write {out}: {strerror}"),
    "files.folder_does_exist": N_("The folder '{out_parent}' does not exist"),
    "files.folder_file_name": N_("'{out}' is a folder, not a file name"),
    "files.mb_files_up_mb": N_(
        "'{where}' is {info_st_size:,.0f} MB: files up to {limit} MB can be read; split "
        "it into smaller files"
    ),
    "files.ordinary_file_device_pipe": N_(
        "'{out}' is not an ordinary file (a device or a pipe): choose a file name"
    ),
    # followups
    "followups.follow_up_already_done": N_("Follow-up {item_id} was already done on {date}"),
    "followups.follow_up_already_done_2": N_("Follow-up {item_id} is already done"),
    "followups.followup_not_found": N_("No follow-up with id {followup_id}"),
    "followups.unknown_kind": N_("Kind must be one of {followup_kinds}, not '{kind}'"),
    "followups.unknown_section": N_("Section must be one of {sections}, not '{section}'"),
    "followups.snooze_least_one_day": N_("Snooze for at least one day, not {days}"),
    "followups.snooze_until_later_day": N_("Snooze until a later day than today, not {until}"),
    "followups.unknown_sort": N_("Sort by one of {sort_keys}, not '{order}'"),
    # interactions
    "interactions.unknown_kind": N_("Kind must be one of {user_kinds}, not '{kind}'"),
    "interactions.unknown_interaction_kind": N_("Unknown interaction kind '{kind}'"),
    "interactions.write_what_happened_note": N_("Write what happened: the note is empty"),
    # letters
    "letters.giver_referral_erased_request": N_(
        "The giver of referral {referral_id} (#{giver_id}) was erased on request: there "
        "is nobody to write to"
    ),
    "letters.referral_not_found": N_("No referral with id {referral_id}"),
    # merge_review
    "merge_review.pick_two_different_contacts": N_("Pick two different contacts to compare"),
    # merge_undo
    "merge_undo.cannot_come_back": N_("{refuse}: {describe} cannot come back ({exc})"),
    "merge_undo.changed_since_now": N_(
        "{refuse}: {describe} changed since ({column} is now {now!r}, not {value!r})"
    ),
    "merge_undo.contact_id_now": N_("{refuse}: contact id {id} is now {value}'s"),
    "merge_undo.deleted_since": N_("{refuse}: {describe} was deleted since"),
    "merge_undo.exists_again": N_("{refuse}: {describe} exists again"),
    "merge_undo.merge_already_undone": N_("Merge {merge_id} was already undone on {as_date}"),
    "merge_undo.merge_not_found": N_("No merge with id {merge_id}"),
    # merging
    "merging.contact_cannot_merged_itself": N_("A contact cannot be merged with itself"),
    "merging.contact_erased_request_cannot": N_(
        "Contact #{id} was erased on request: it cannot be merged"
    ),
    "merging.contact_not_found": N_("No contact with id {contact_id}"),
    # migrations
    "migrations.database_schema_version_needs": N_(
        "This database has schema version {version} and needs an upgrade to {db_schema_version}"
    ),
    "migrations.database_written_newer_passaparola": N_(
        "This database was written by a newer Passaparola (schema version {version}; this"
        " app knows up to {db_schema_version}). Update Passaparola to open it; the file "
        "was not changed."
    ),
    "migrations.holds_tables_but_passaparola": N_(
        "{describe} holds tables but is not a Passaparola database"
    ),
    "migrations.upgrade_step_schema_version": N_("No upgrade step to schema version {version}"),
    "migrations.upgrading_database_schema_version": N_(
        "Upgrading the database to schema version {version} failed: {exc}. The database "
        "was left at version {version_2}.{where}"
    ),
    # organization_merge
    "organization_merge.organization_cannot_merged_into": N_(
        "Organization {keep_id} cannot be merged into itself"
    ),
    # organizations
    "organizations.organization_called_already_exists": N_(
        "An organization called '{cleaned}' already exists"
    ),
    "organizations.organization_not_found": N_("No organization with id {org_id}"),
    "organizations.unknown_organization_kind": N_(
        "Organization kind must be one of {kinds}, not '{kind}'"
    ),
    "organizations.organization_needs_name": N_("An organization needs a name"),
    "organizations.unknown_organization_field": N_("Unknown organization field(s): {unknown}"),
    # phones
    "phones.phone_country_code_write": N_(
        "Phone '{original}' has no country code: write it as +<country code> ... or set a"
        " default region in the profile"
    ),
    "phones.phone_number_empty": N_("The phone number is empty"),
    "phones.phone_phone_number": N_("Phone '{original}' is not a phone number{where}"),
    "phones.phone_valid_number": N_("Phone '{original}' is not a valid number{where}"),
    # quality
    "quality.least_number_referrals_judge": N_(
        "The least number of referrals to judge a giver by must be 1 or more, not {min_referrals}"
    ),
    "quality.period_starts_after_ends": N_(
        "The period starts ({date_from}) after it ends ({date_to})"
    ),
    "quality.ratio_more_1_3": N_(
        "The ratio must be more than 1 (3 flags rates under a third), not {ratio}"
    ),
    # redemption
    "redemption.already_referred_referral_voucher": N_(
        "{holder_display_name} already referred {friend_display_name} on "
        "{earlier_referred_on} (referral {earlier_id}); a voucher brings a new friend, so"
        " it was not redeemed"
    ),
    "redemption.archived_unarchive_them_redeem": N_(
        "{friend_display_name} (#{friend_id}) is archived: unarchive them to redeem a "
        "voucher for them"
    ),
    "redemption.holds_voucher_redeemed_friend": N_(
        "{holder_display_name} holds voucher {voucher_code}: it is redeemed by the friend"
        " they pass it on to, not by them"
    ),
    "redemption.name_friend_who_brought": N_(
        "Name the friend who brought the voucher: someone in your contacts or a new friend's name"
    ),
    "redemption.redeemed_voucher_cannot_voided": N_(
        "{refusal_message}: a redeemed voucher cannot be voided"
    ),
    "redemption.type_new_friend_name": N_(
        "Type the new friend's name, such as Maria Rossi: it is empty"
    ),
    "redemption.voucher_already_redeemed": N_(
        "Voucher {code_text} was already redeemed on {day_of} by {value}"
    ),
    "redemption.voucher_already_voided": N_("Voucher {stored} was already voided on {day_of}"),
    "redemption.voucher_cannot_redeemed_now": N_(
        "Voucher {stored} cannot be redeemed now; try again"
    ),
    "redemption.voucher_changed_meanwhile_look": N_(
        "Voucher {stored} changed meanwhile; look again"
    ),
    "redemption.voucher_code_check_issued": N_(
        "No voucher has the code {code_text}; check that it was issued from this database"
    ),
    "redemption.voucher_expired": N_("Voucher {code_text} expired on {voucher_expires}"),
    "redemption.voucher_voided_cannot_redeemed": N_(
        "Voucher {code_text} was voided on {day_of}: it cannot be redeemed"
    ),
    # referral_edits
    "referral_edits.event_not_found": N_("No event with id {event_id}"),
    "referral_edits.unknown_program": N_("Program must be one of {programs}, not '{program}'"),
    "referral_edits.temperature_1_5": N_("Temperature must be 1 to 5, not {t}"),
    "referral_edits.unknown_referral_field": N_("Unknown referral field(s): {unknown}"),
    # referral_rules
    "referral_rules.already_referred_referral": N_(
        "{giver_display_name} already referred {referred_display_name} on "
        "{existing_referred_on} (referral {existing_id})"
    ),
    "referral_rules.cannot_refer_themselves": N_("{giver_display_name} cannot refer themselves"),
    "referral_rules.cannot_would_make_cycle": N_(
        "{giver_display_name} cannot be {role} of {referred_display_name}: that would "
        "make a cycle ({cycle})"
    ),
    "referral_rules.currency_three_letter_iso": N_(
        "Currency '{code_text}' is not a three-letter ISO code"
    ),
    "referral_rules.event_not_found": N_("No event with id {event_id}"),
    "referral_rules.unknown_program": N_("Program must be one of {programs}, not '{program}'"),
    "referral_rules.referral_already": N_("Referral {ref_id} is already {status}"),
    "referral_rules.referral_cannot_move_back": N_(
        "Referral {ref_id} cannot move back from {old} to {status}"
    ),
    "referral_rules.referral_closed_reopen_move": N_(
        "Referral {ref_id} is closed as {old}; reopen it to move it to {status}"
    ),
    "referral_rules.referral_date_future": N_("The referral date {day} is in the future"),
    "referral_rules.referral_passed_someone_other": N_(
        "The referral is passed to someone other than the giver and the referred"
    ),
    "referral_rules.referral_won_give_value": N_(
        "Referral {ref_id} is won: give the value of the business won"
    ),
    "referral_rules.unknown_status": N_(
        "Status must be one of {referral_statuses}, not '{status}'"
    ),
    "referral_rules.temperature_1_5": N_("Temperature must be 1 to 5, not {temperature}"),
    "referral_rules.value_recorded_when_referral": N_(
        "A value is recorded when the referral is won"
    ),
    "referral_rules.won_referral_needs_value": N_(
        "A won referral needs the value of the business won"
    ),
    # referral_table
    "referral_table.unknown_order": N_("Order must be one of {orders}, not '{order}'"),
    "referral_table.unknown_period": N_("Period must be one of {periods}, not '{period}'"),
    # referrals
    "referrals.already_primary": N_("Referral {ref_id} is already the primary one"),
    "referrals.referral_not_found": N_("No referral with id {referral_id}"),
    # reward_policy
    "reward_policy.moment_redeemed_won": N_("Moment must be redeemed or won, not '{moment}'"),
    "reward_policy.referral_not_found": N_("No referral with id {referral_id}"),
    "reward_policy.unknown_trigger": N_("Trigger must be one of {triggers}, not '{trigger}'"),
    "reward_policy.unknown_reward_policy_field": N_(
        "Unknown reward policy field '{field_name}'; known: {policy_fields}"
    ),
    # reward_roi
    "reward_roi.unknown_group": N_("Group by one of {groups}, not '{group_by}'"),
    # rewards
    "rewards.contact_not_found": N_("No contact with id {contact_id}"),
    "rewards.currency_iso_4217_currency": N_("Currency '{code_text}' is not an ISO 4217 currency"),
    "rewards.unknown_kind": N_("Kind must be one of {reward_kinds}, not '{kind}'"),
    "rewards.points_redeem": N_(
        "{contact_display_name} has {balance:,} points to redeem, not {points:,}"
    ),
    "rewards.points_redeem_whole_number": N_(
        "Points to redeem must be a whole number above 0, not {points}"
    ),
    "rewards.referral_not_found": N_("No referral with id {referral_id}"),
    "rewards.referral_reward_goes_giver": N_(
        "Referral {ref_id} is not {contact_display_name}'s: a reward for it goes to its "
        "giver or to the friend it referred"
    ),
    "rewards.reward_already_given": N_(
        "Reward {reward_id} for {display_name} was already given on {day}"
    ),
    "rewards.reward_not_found": N_("No reward with id {reward_id}"),
    "rewards.unknown_status": N_("Status must be one of {reward_statuses}, not '{status}'"),
    # settings
    "settings.backup_folder_full_path": N_(
        "The backup folder '{text}' must be a full path, such as /home/me/Backups"
    ),
    "settings.currency_iso_4217_currency": N_("Currency '{code_text}' is not an ISO 4217 currency"),
    "settings.currency_three_letter_iso": N_(
        "Currency '{currency}' is not a three-letter ISO code"
    ),
    "settings.image_missing": N_("{what} '{text}' does not exist"),
    "settings.email_valid": N_("Email '{email}' is not valid: {exc}"),
    "settings.backup_dir_is_file": N_("'{text}' is a file, not a folder"),
    "settings.unknown_language": N_("Language must be one of {languages}, not '{language}'"),
    "this_computer.unknown_ui_language": N_(
        'The interface language must be one of {languages}, or "" for the system\'s '
        "language, not '{language}'"
    ),
    "settings.profile_too_long": N_("{labels} is longer than {limit} characters"),
    "settings.amount_zero": N_("{what} must be more than 0; leave it empty for none"),
    "settings.amount_too_large": N_("{what} must be at most {most:f}, not {amount}"),
    "settings.amount_negative": N_("{what} {amount} is negative"),
    "settings.not_a_number": N_("{what} '{text}' is not a number"),
    "settings.unknown_choice": N_("{what} must be one of {codes}, not '{value}'"),
    "settings.unknown_page_size": N_("Page size must be one of {page_sizes}, not '{page_size}'"),
    "settings.png_jpeg_image": N_("{what} '{path_name}' is not a PNG or JPEG image"),
    "settings.profile_field_text": N_("Profile field '{key}' must be text, not '{value}'"),
    "settings.setting_between": N_("Setting '{key}' must be between {lo} and {hi}, not {value}"),
    "settings.setting_text": N_("Setting '{key}' must be text, not '{value}'"),
    "settings.setting_whole_number": N_("Setting '{key}' must be a whole number, not '{value}'"),
    "settings.two_letter_iso_country": N_("{what} '{text}' is not a two-letter ISO country code"),
    "settings.unknown_profile_field": N_("Unknown profile field '{key}'"),
    "settings.unknown_setting_known": N_("Unknown setting '{key}'; known: {defaults}"),
    # stats
    "stats.custom_period_needs_first": N_("A custom period needs a first and a last day"),
    "stats.unknown_period": N_("Period must be one of {period_kinds}, not '{kind}'"),
    # stats_behind
    "stats_behind.unknown_kind": N_("Kind must be one of {behind_kinds}, not '{kind}'"),
    "stats_behind.unknown_program": N_("Program must be one of {programs}, not '{key}'"),
    # stats_common
    "stats_common.month_yyyy_mm": N_("'{key}' is not a month (YYYY-MM)"),
    "stats_common.period_starts_after_ends": N_(
        "The period starts ({date_from}) after it ends ({date_to})"
    ),
    # templates
    "templates.body_empty_write_text": N_("The body is empty: write the text of the template"),
    "templates.body_longer_characters": N_("The body is longer than {body_max:,} characters"),
    "templates.unknown_language": N_("Language must be one of {languages}, not '{language}'"),
    "templates.malformed_merge_field_write": N_(
        "The {what} has a malformed merge field '{{{shown}}}': write it as {{field}}"
    ),
    "templates.subject_longer_characters": N_(
        "The subject is longer than {subject_max} characters"
    ),
    "templates.unknown_template_kind": N_(
        "Template kind must be one of {template_kinds}, not '{kind}'"
    ),
    "templates.unknown_merge_field_valid": N_(
        "Unknown merge field {{{name}}} in the {what}; valid fields: {value}"
    ),
    "templates.unmatched_brace_write_field": N_(
        "The {what} has an unmatched brace: write {{field}} for a merge field, {{{{ or "
        "}}}} for a brace"
    ),
    # text
    "text.too_long": N_("{label} is limited to {limit:,} characters (this one has {text_count:,})"),
    # vouchers
    "vouchers.already_holds_voucher_batch": N_(
        "{taken_display_name} (#{hid}) already holds voucher {code_text} in batch "
        "'{name}'{more}; a holder gets one voucher per batch"
    ),
    "vouchers.archived_unarchive_them_give": N_(
        "{contact_display_name} (#{hid}) is archived: unarchive them to give them a voucher"
    ),
    "vouchers.batch_name_cannot_contain": N_(
        "The batch name '{text}' cannot contain / or \\ (it becomes part of file names)"
    ),
    "vouchers.batch_name_cannot_start": N_(
        "The batch name '{text}' cannot start with a dot or contain '..' (it becomes part"
        " of file names)"
    ),
    "vouchers.batch_name_contains_invisible": N_(
        "The batch name contains an invisible control character (U+{codepoint:04X}): use "
        "letters, digits, spaces and dashes, such as 2026-Q4"
    ),
    "vouchers.batch_name_longer_characters": N_("The batch name is longer than {limit} characters"),
    "vouchers.batch_named": N_("No batch named '{name}'{hint}"),
    "vouchers.batch_voucher_left_print": N_("Batch '{name}' has no voucher left to print ({what})"),
    "vouchers.contact_not_found": N_("No contact with id {hid}"),
    "vouchers.currency_iso_4217_currency": N_(
        "Currency '{code_text}' is not an ISO 4217 currency code"
    ),
    "vouchers.expiry_date_yyyy_mm": N_("Expiry '{expires}' is not a date (YYYY-MM-DD)"),
    "vouchers.expiry_future_voucher_valid": N_(
        "The expiry {expires} is not in the future: a voucher must be valid after today ({today})"
    ),
    "vouchers.expiry_more_years_away": N_(
        "The expiry {expires} is more than {max_years_ahead} years away; check the year"
    ),
    "vouchers.issue_vouchers_either_named": N_(
        "Issue vouchers either to named holders or to the top N clients"
    ),
    "vouchers.name_batch_such_2026": N_("Name the batch, such as 2026-Q4: the name is empty"),
    "vouchers.name_least_one_holder": N_("Name at least one holder for the vouchers"),
    "vouchers.number_top_clients_1": N_("The number of top clients must be 1 or more, not {n}"),
    "vouchers.voucher_worth_something_value": N_(
        "A voucher must be worth something: the value is {value}"
    ),
    "vouchers.won_referral_last_12": N_(
        "{who} has a won referral in the last 12 months, so there is no top {top_n} to "
        "give vouchers to; name the holders instead"
    ),
}
