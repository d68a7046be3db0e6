scontrol update jobid='4711' arraytaskthrottle='12'
