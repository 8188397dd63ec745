"""The themed Party day (主题党日): its calendar, and the reminders that follow it."""
