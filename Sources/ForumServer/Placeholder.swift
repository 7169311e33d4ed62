enum _ForumServerPlaceholder {}
