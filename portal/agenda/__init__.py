"""The agenda: the neighbourhood's events, as pages, iCalendar files and RSS.

``models`` (the "Agenda" section and its events), ``calendars`` (iCal), ``feeds`` (RSS);
templates in ``portal/templates/portal/agenda/``.
"""
