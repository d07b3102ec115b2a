"""Message codes of crm/interchange and crm/documents (see crm.core.messages)."""

from crm.i18n import N_

IO: dict[str, str] = {
    # csv_output
    "csv_output.cancelled": N_("{what} cancelled"),
    # csvfile
    "csvfile.column_cannot_read": N_("Column '{column}' cannot be read as '{key}'"),
    "csvfile.date_order_dmy_mdy": N_(
        "The date order must be DMY or MDY, not '{layout_date_order}'"
    ),
    "csvfile.excel_workbook_another_archive": N_(
        "This is an Excel workbook (or another archive), not a CSV file: save it from "
        "Excel as 'CSV UTF-8' and import that"
    ),
    "csvfile.field_column_can_read": N_(
        "'{key}' is not a field a column can be read as; the fields are: {targets}, "
        "ignore (and email:<label>, phone:<label>)"
    ),
    "csvfile.file_column_columns": N_(
        "The file has no column '{column}'; its columns are: {named}"
    ),
    "csvfile.file_empty": N_("The file is empty"),
    "csvfile.file_line_read_header": N_(
        "The file has no line {layout_header_line} to read the header on"
    ),
    "csvfile.no_rows": N_("The file has no rows"),
    "csvfile.line_header_one_column": N_(
        "line {line}: the header is not the one the column mapping was made for"
    ),
    "csvfile.line_row_cannot_read": N_("line {start}: the row cannot be read as CSV: {exc}"),
    "csvfile.line_row_starts_line": N_("line {layout_header_line}: no row starts on this line"),
    "csvfile.map_takes_column_field": N_("--map takes 'Column=field', not '{pair}'"),
    "csvfile.mapping_targets_columns": N_(
        "The mapping has {layout_mapping_count} targets for {layout_columns_count} columns"
    ),
    "csvfile.none_columns_read_contact": N_(
        "None of the columns ({named}{value}) is read as a contact field: choose what "
        "each column holds"
    ),
    "csvfile.preset_name_limited_characters": N_(
        "A preset name is limited to {preset_name_max} characters"
    ),
    "csvfile.preset_names_none_file": N_("The preset '{clean}' names none of this file's columns"),
    "csvfile.preset_needs_name": N_("A preset needs a name"),
    "csvfile.there_import_preset": N_("There is no import preset '{clean}'"),
    "csvfile.there_import_preset_saved": N_(
        "There is no import preset '{clean}'; the saved presets are: {names}"
    ),
    # exports
    "exports.contact_not_found": N_("No contact with id {shown}{more}"),
    # ics
    "ics.alarm_more_0_most": N_(
        "Alarm '{text}' must be more than 0 and at most 4 weeks before the follow-up"
    ),
    "ics.alarm_time_before_follow": N_(
        "Alarm '{text}' is not a time before the follow-up; write it like 1h, 30m, 1d or 1h30m"
    ),
    # importer
    "importer.cannot_read": N_("Cannot read '{where}': {value}"),
    "importer.cannot_read_folder": N_("Cannot read '{where}': it is a folder"),
    "importer.cannot_read_there_such": N_("Cannot read '{where}': there is no such file"),
    "importer.empty_there_contacts": N_("'{where_name}' is empty: there are no contacts in it"),
    "importer.format_auto_vcard_csv": N_("Format must be auto, vcard or csv, not '{format}'"),
    "importer.import_cancelled": N_("Import cancelled"),
    # page
    "page.output_file_end_pdf": N_("The output file '{out}' must end in .pdf"),
    # person_export
    "person_export.file_give_folder_export": N_(
        "'{target}' is a file; give a folder for the export"
    ),
    "person_export.folder_does_exist": N_("The folder '{target_parent}' does not exist"),
    # sniff
    "sniff.line_column_byte_0x": N_(
        "line {line}, column {column}: the byte 0x{replace} cannot be read as {name}; is "
        "the file in another encoding?"
    ),
    "sniff.text_file_line_holds": N_(
        "This is not a text file: line {line} holds a NUL byte (a binary file?)"
    ),
    "sniff.unknown_encoding": N_("Unknown encoding '{encoding}'"),
    # vcard
    "vcard.file_vcard_begin_vcard": N_("This file is not a vCard: it has no BEGIN:VCARD line"),
    "vcard.line_byte_0x_valid": N_(
        "line {line}: byte 0x{data:02X} is not valid {encoding}; give the file's encoding"
    ),
    "vcard.unknown_encoding": N_("Unknown encoding '{encoding}'"),
    # vcard_out
    "vcard_out.contact_not_found": N_("No contact with id {contact_id}"),
    "vcard_out.contacts_not_found": N_("No contact with id {listed}"),
    "vcard_out.vcard_version_4_0": N_("vCard version must be 4.0 or 3.0, not '{version}'"),
    # vouchers_pdf
    "vouchers_pdf.folder_give_file_name": N_(
        "'{target}' is a folder; give a file name such as vouchers.pdf"
    ),
    "vouchers_pdf.vouchers_per_page_1": N_("Vouchers per page must be 1, 4 or 8, not {per_page}"),
    # birthday_card
    "birthday_card.card_layout": N_("The card layout must be one of {layouts}, not '{layout}'"),
    # mailing
    "mailing.could_connect_mail_server": N_(
        "Could not connect to the mail server {where}: {error}"
    ),
    "mailing.drafts_folder_made": N_("The drafts folder '{folder}' cannot be made: {error}"),
    "mailing.file_folder": N_("'{folder}' is a file, not a folder"),
    "mailing.mail_server_does_offer": N_(
        "The mail server {where} does not offer STARTTLS or login; check smtp.security"
    ),
    "mailing.mail_server_offers_login": N_(
        "The mail server offers no login that takes letters beyond ASCII in the user name or "
        "password"
    ),
    "mailing.mail_server_refused_user": N_(
        "The mail server {where} refused the user name or password: {answer}"
    ),
    # postal_formats
    "postal_formats.start_position_label_1": N_(
        "The start position must be a label from 1 to {n} of the {sheet} sheet, not {start}"
    ),
    "postal_formats.unknown_envelope_size_use": N_(
        "Unknown envelope size '{key}': use one of {keys}"
    ),
    "postal_formats.unknown_label_sheet_use": N_("Unknown label sheet '{key}': use one of {keys}"),
}
