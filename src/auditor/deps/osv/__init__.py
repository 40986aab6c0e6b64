"""OSV advisories (https://ossf.github.io/osv-schema/): the record model and range matching
(`model`), the OSV API (`online`), and local databases (`offline`)."""
