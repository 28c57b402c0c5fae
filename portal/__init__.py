"""The staff workbench: web pages for intake clerks, visitors and the other staff, in Chinese
first, calling the three services' APIs with the signed-in user's token."""
