"""nhacviec: task reminders and progress reporting for Vietnamese government offices."""
