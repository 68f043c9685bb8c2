module github.com/guild-b2b/guild

go 1.26
