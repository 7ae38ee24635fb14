"""Files: upload, download, versions and lists of the files of tasks, projects, contacts and records."""
