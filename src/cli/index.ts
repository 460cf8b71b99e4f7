/** The evkit command line: commands, their settings tables, progress and output. */
