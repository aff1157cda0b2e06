"""The settings page: a lazy route's module (main.py names it in `lazy("pages.settings")`), so
the app archive leaves it out and the page fetches it on the route's first visit. Sized like a
real settings page (a few dozen options with their help texts): its bytes and its import are
what the first visit of the app saves (docs/router.md, "Lazy routes")."""

from dataclasses import dataclass

from framework import Component, Signal


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    help: str
    default: bool = False


GROUPS: dict[str, tuple[Option, ...]] = {
    "Notifications": (
        Option(
            "email_digest",
            "Daily e-mail digest",
            "One e-mail a day with what changed in the lists you follow, sent at 8:00 in your time zone.",
            True,
        ),
        Option(
            "email_mentions",
            "E-mail when mentioned",
            "An e-mail as soon as someone mentions you in a comment or assigns you an item.",
            True,
        ),
        Option(
            "push_reminders",
            "Reminders on this device",
            "A notification on this device when an item you own is due within the hour.",
        ),
        Option(
            "push_shared",
            "Shared list activity",
            "A notification when someone adds, completes or removes an item in a list shared with you.",
        ),
        Option(
            "weekly_report",
            "Weekly report",
            "A summary every Monday of what you completed, what is overdue and what is coming up.",
        ),
        Option(
            "quiet_hours",
            "Quiet hours",
            "No notifications between 22:00 and 7:00; they are delivered together in the morning.",
            True,
        ),
    ),
    "Appearance": (
        Option(
            "dark_mode",
            "Dark theme",
            "Light text on a dark background; follows the system setting unless you choose here.",
        ),
        Option(
            "compact_rows",
            "Compact rows",
            "Less space between items, to see more of a long list at once.",
        ),
        Option(
            "show_counts",
            "Show counts",
            "The number of open items next to each list's name in the sidebar.",
            True,
        ),
        Option(
            "large_text",
            "Larger text",
            "Text 25% larger everywhere, on top of your browser's own zoom.",
        ),
        Option(
            "reduce_motion",
            "Reduce motion",
            "No animations when items are added, moved or removed, whatever the system says.",
        ),
        Option(
            "week_starts_monday",
            "Weeks start on Monday",
            "Calendars and weekly reports start their week on Monday rather than Sunday.",
            True,
        ),
    ),
    "Lists": (
        Option(
            "completed_last",
            "Completed items last",
            "Completed items move to the end of their list instead of staying where they were.",
            True,
        ),
        Option(
            "confirm_delete",
            "Confirm before deleting",
            "Ask before an item or a list is deleted; deleted items can be restored for 30 days either way.",
            True,
        ),
        Option(
            "autosort_due",
            "Sort by due date",
            "New items are placed by their due date; items without one go to the end.",
        ),
        Option(
            "inherit_owner",
            "New items are mine",
            "An item you add to a shared list is assigned to you unless you choose someone else.",
        ),
        Option(
            "archive_done",
            "Archive finished lists",
            "A list whose items are all completed is archived after seven days.",
        ),
        Option(
            "markdown_notes",
            "Formatted notes",
            "Notes on items understand a little Markdown: bold, italics, links and lists.",
        ),
    ),
    "Privacy": (
        Option(
            "share_presence",
            "Show when I am online",
            "People you share lists with see a dot next to your name while you use the app.",
            True,
        ),
        Option(
            "read_receipts",
            "Read receipts",
            "People see when you have read their comments; you see theirs only if this is on.",
        ),
        Option(
            "search_indexing",
            "Find me by e-mail",
            "People who know your e-mail address can find you to share a list with you.",
            True,
        ),
        Option(
            "usage_statistics",
            "Anonymous statistics",
            "Counts of which features are used, with nothing that identifies you or your lists.",
        ),
        Option(
            "crash_reports",
            "Crash reports",
            "When the app fails, send the error and the steps that led to it, without your data.",
            True,
        ),
        Option(
            "keep_history",
            "Keep history",
            "Keep every version of each item for a year, so that any change can be undone.",
        ),
    ),
    "Sync and storage": (
        Option(
            "sync_mobile_data",
            "Sync over mobile data",
            "Sync when on a mobile connection; otherwise changes wait for Wi-Fi.",
            True,
        ),
        Option(
            "offline_lists",
            "Keep lists offline",
            "Every list stays on this device, so the app works without a connection.",
            True,
        ),
        Option(
            "attachments_offline",
            "Keep attachments offline",
            "Attachments are kept on this device as well; this can take a lot of space.",
        ),
        Option(
            "backup_weekly",
            "Weekly backup",
            "A copy of all your lists is written to your backup folder every Sunday.",
        ),
        Option(
            "compress_images",
            "Compress images",
            "Photos added to items are resized to 2,000 pixels wide and compressed before upload.",
            True,
        ),
        Option(
            "sync_conflicts",
            "Tell me about conflicts",
            "When two devices changed the same item, say which change was kept and why.",
        ),
    ),
}


class Settings(Component):
    def setup(self):
        self.values = {
            option.key: Signal(option.default) for options in GROUPS.values() for option in options
        }

    def option(self, option: Option):
        return t"""<li>
            <label><input type="checkbox" bind:checked={self.values[option.key]}> {option.label}</label>
            <p class="help">{option.help}</p>
        </li>"""

    def group(self, title: str, options: tuple[Option, ...]):
        return t"<section><h2>{title}</h2><ul>{[self.option(o) for o in options]}</ul></section>"

    def render(self):
        groups = [self.group(title, options) for title, options in GROUPS.items()]
        return t"<h1>Settings</h1>{groups}"
